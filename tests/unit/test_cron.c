/* Unit tests for lib/cron: the English descriptions cron_descriptor 1.4.5
 * gives with its default options (the ones Superset's crontab_humanized
 * uses), and croniter's notion of a valid expression. */
#include <criterion/criterion.h>
#include <string.h>

#include "lib/cron.h"

static arena_t *A;
static void setup(void) { A = arena_new(0); }
static void teardown(void) { arena_free(A); }

TestSuite(cron, .init = setup, .fini = teardown);

static const struct {
    const char *expr, *expected;
} DESCRIBED[] = {
    {"* * * * *", "Every minute"},
    {"*/1 * * * *", "Every minute"},
    {"0 0/1 * * * ?", "Every minute"},
    {"0 0 * * * ?", "Every hour"},
    {"0 0 0/1 * * ?", "Every hour"},
    {"0 23 ? * MON-FRI", "At 11:00 PM, Monday through Friday"},
    {"* * * * * *", "Every second"},
    {"*/45 * * * * *", "Every 45 seconds"},
    {"*/5 * * * *", "Every 5 minutes"},
    {"0 0/10 * * * ?", "Every 10 minutes"},
    {"0 */5 * * * *", "Every 5 minutes"},
    {"30 11 * * 1-5", "At 11:30 AM, Monday through Friday"},
    {"30 11 * * *", "At 11:30 AM"},
    {"0-10 11 * * *", "Every minute between 11:00 AM and 11:10 AM"},
    {"* * * 3 *", "Every minute, only in March"},
    {"* * * 3,6 *", "Every minute, only in March and June"},
    {"30 14,16 * * *", "At 02:30 PM and 04:30 PM"},
    {"30 6,14,16 * * *", "At 06:30 AM, 02:30 PM and 04:30 PM"},
    {"46 9 * * 1", "At 09:46 AM, only on Monday"},
    {"23 12 15 * *", "At 12:23 PM, on day 15 of the month"},
    {"23 12 * JAN *", "At 12:23 PM, only in January"},
    {"23 12 * jan *", "At 12:23 PM, only in January"},
    {"23 12 ? JAN *", "At 12:23 PM, only in January"},
    {"23 12 * JAN-FEB *", "At 12:23 PM, January through February"},
    {"23 12 * JAN-MAR *", "At 12:23 PM, January through March"},
    {"23 12 * * SUN", "At 12:23 PM, only on Sunday"},
    {"23 12 * * sun", "At 12:23 PM, only on Sunday"},
    {"*/5 15 * * MON-FRI", "Every 5 minutes, between 03:00 PM and 03:59 PM, Monday through Friday"},
    {"*/5 15 * * MoN-fri", "Every 5 minutes, between 03:00 PM and 03:59 PM, Monday through Friday"},
    {"* * * * MON#3", "Every minute, on the third Monday of the month"},
    {"* * * * 4L", "Every minute, on the last Thursday of the month"},
    {"* * LW * *", "Every minute, on the last weekday of the month"},
    {"* * WL * *", "Every minute, on the last weekday of the month"},
    {"* * 1W * *", "Every minute, on the first weekday of the month"},
    {"* * 13W * *", "Every minute, on the weekday nearest day 13 of the month"},
    {"* * W1 * *", "Every minute, on the first weekday of the month"},
    {"* * 5W * *", "Every minute, on the weekday nearest day 5 of the month"},
    {"* * W5 * *", "Every minute, on the weekday nearest day 5 of the month"},
    {"30 02 14 * * *", "At 02:02:30 PM"},
    {"5-10 * * * * *", "Seconds 5 through 10 past the minute"},
    {"30 */5 * * * *", "At 30 seconds past the minute, every 5 minutes"},
    {"0 0 6 1/1 * ?", "At 06:00 AM"},
    {"* * * * * * 2013", "Every second, only in 2013"},
    {"* * * * * 2013", "Every minute, only in 2013"},
    {"* * * * * 2013,2014", "Every minute, only in 2013 and 2014"},
    {"23 12 * * SUN#2", "At 12:23 PM, on the second Sunday of the month"},
    {"0 0 8 1/3 * ? *", "At 08:00 AM, every 3 days"},
    {"0 15 10 ? * */3", "At 10:15 AM, every 3 days of the week"},
    {"* * * ? * 1-5/2", "Every second, every 2 days of the week, Monday through Friday"},
    {"0 5 7 2 1/3 ? *", "At 07:05 AM, on day 2 of the month, every 3 months"},
    {"2,4-5 1 * * *", "At 2 and 4 through 5 minutes past the hour, at 01:00 AM"},
    {"0 7 * * * ", "At 07:00 AM"},
    {"5/30 * * * * ?", "Every 30 seconds, starting at 5 seconds past the minute"},
    {"0 5/30 * * * ?", "Every 30 minutes, starting at 5 minutes past the hour"},
    {"* * 5/8 * * ?", "Every second, every 8 hours, starting at 05:00 AM"},
    {"0 5 7 2/3 * ? *", "At 07:05 AM, every 3 days, starting on day 2 of the month"},
    {"0 5 7 ? 3/2 ? *", "At 07:05 AM, every 2 months, March through December"},
    {"0 5 7 ? * 2/3 *", "At 07:05 AM, every 3 days of the week, Tuesday through Saturday"},
    {"0 5 7 ? * ? 2016/4", "At 07:05 AM, every 4 years, 2016 through 9999"},
    {"1 1,3-4 * * *", "At 1 minutes past the hour, at 01:00 AM and 03:00 AM through 04:59 AM"},
    {"0 0 * * *", "At 12:00 AM"},
    {"0 9 * * 1-5", "At 09:00 AM, Monday through Friday"},
    {"*/15 * * * *", "Every 15 minutes"},
    {"0 12 1 * *", "At 12:00 PM, on day 1 of the month"},
};

Test(cron, describe) {
    for (size_t i = 0; i < sizeof DESCRIBED / sizeof DESCRIBED[0]; i++)
        cr_expect_str_eq(cron_describe(A, DESCRIBED[i].expr), DESCRIBED[i].expected, "%s", DESCRIBED[i].expr);
}

Test(cron, describe_unparseable_is_empty) {
    cr_expect_str_eq(cron_describe(A, "* * *"), "");
    cr_expect_str_eq(cron_describe(A, ""), "");
    cr_expect_str_eq(cron_describe(A, "1 2 3 4 5 6 7 8"), "");
}

Test(cron, valid) {
    static const char *const good[] = {"* * * * *", "0 0 * * *", "*/5 * * * *", "0 9 * * mon-fri", "0 0 1,15 * *",
                                        "0 0 L * *", "0 0 * * 5L", "0 0 * * 1#2", "0 0 * jan-mar *", "@daily",
                                        "0 0 * * 7", "0 0 ? * *", "1-10/2 * * * *", "* * * * * 30", "0 0 1 1 * 0 2030"};
    static const char *const bad[] = {"", "* * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *", "* * * * 8",
                                       "*/0 * * * *", "5-1 * * * *", "abc * * * *", "0 0 * * * * * *", "1,,2 * * * *",
                                       "@often", "* * * * foo"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) cr_expect(cron_valid(good[i]), "%s", good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) cr_expect(!cron_valid(bad[i]), "%s", bad[i]);
}

Test(cron, next_times) {
    static const struct {
        const char *expr;
        int64_t want[3];
    } cases[] = {
        {"*/5 * * * *", {300, 600, 900}},
        {"0 0 * * *", {86400, 2 * 86400, 3 * 86400}},
        {"0 0 1 * *", {31 * 86400, 59 * 86400, 90 * 86400}},
        {"0 0 * * mon", {4 * 86400, 11 * 86400, 18 * 86400}},
        {"0 0 L * *", {30 * 86400, 58 * 86400, 89 * 86400}},
        {"0 0 1 * 1", {4 * 86400, 11 * 86400, 18 * 86400}}, /* day of month OR day of week */
        {"* * * * * 30", {30, 90, 150}},
        {"@hourly", {3600, 7200, 10800}},
        {"0 0 * * 4#2", {7 * 86400, 42 * 86400, 70 * 86400}}, /* 1970-01-01 was a Thursday */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t got[3];
        cr_assert(cron_next_times(cases[i].expr, 0, got, 3), "%s", cases[i].expr);
        for (int k = 0; k < 3; k++) cr_expect_eq(got[k], cases[i].want[k], "%s #%d: %lld", cases[i].expr, k, (long long)got[k]);
    }
    int64_t none[1];
    cr_expect(!cron_next_times("0 0 30 2 *", 0, none, 1), "February 30th never fires");
    cr_expect(!cron_next_times("bogus", 0, none, 1));
}
