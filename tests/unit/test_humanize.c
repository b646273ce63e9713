/* Unit tests for lib/humanize: every rung and boundary of naturaltime and
 * naturaldelta as humanize 4.12.3 words them, both tenses, Python's
 * microsecond rounding, NaN and the overflow clamp. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "lib/humanize.h"

static arena_t *A;
static void setup(void) { A = arena_new(0); }
static void teardown(void) { arena_free(A); }

TestSuite(humanize, .init = setup, .fini = teardown);

#define MIN 60.0
#define HOUR 3600.0
#define DAY 86400.0
#define YEAR (365 * DAY)

typedef struct {
    double seconds;
    const char *expected;
} case_t;

/* humanize.naturaltime(timedelta(seconds=s)) for positive s (the past). */
static const case_t PAST[] = {
    {0, "now"},
    {0.4, "now"},
    {0.9999994, "now"},
    {0.9999995, "a second ago"}, /* 999999.5 us rounds half-to-even, up */
    {1.9999995, "a second ago"}, /* frac*1e6 lands just under .5: 999999 us */
    {1, "a second ago"},
    {1.9, "a second ago"},
    {2, "2 seconds ago"},
    {23.5, "23 seconds ago"},
    {59, "59 seconds ago"},
    {59.999, "59 seconds ago"},
    {60, "a minute ago"},
    {61, "a minute ago"},
    {119, "a minute ago"},
    {120, "2 minutes ago"},
    {179, "2 minutes ago"},
    {180, "3 minutes ago"},
    {3599, "59 minutes ago"},
    {HOUR, "an hour ago"},
    {HOUR + 30 * MIN + 30, "an hour ago"},
    {7199, "an hour ago"},
    {7200, "2 hours ago"},
    {23 * HOUR + 50 * MIN + 50, "23 hours ago"},
    {86399, "23 hours ago"},
    {DAY, "a day ago"},
    {2 * DAY - 1, "a day ago"},
    {2 * DAY, "2 days ago"},
    {29 * DAY, "29 days ago"},
    {30 * DAY, "30 days ago"},
    {31 * DAY - 1, "30 days ago"},
    {31 * DAY, "a month ago"},
    {45 * DAY, "a month ago"},
    {60 * DAY, "a month ago"},
    {61 * DAY, "2 months ago"},
    {91 * DAY, "2 months ago"},
    {92 * DAY, "3 months ago"},
    {364 * DAY, "11 months ago"},
    {YEAR - 1, "11 months ago"},
    {YEAR, "a year ago"},
    {YEAR + DAY - 1, "a year ago"},
    {366 * DAY, "1 year, 1 day ago"},
    {367 * DAY, "1 year, 2 days ago"},
    {369 * DAY, "1 year, 4 days ago"},
    {395 * DAY, "1 year, 30 days ago"},
    {396 * DAY, "1 year, 1 month ago"},
    {400 * DAY, "1 year, 1 month ago"},
    {425 * DAY, "1 year, 1 month ago"},
    {426 * DAY, "1 year, 2 months ago"},
    {500 * DAY, "1 year, 4 months ago"},
    {1.5 * YEAR, "1 year, 5 months ago"},
    {729 * DAY, "1 year, 11 months ago"},
    {2 * YEAR - 1, "1 year, 11 months ago"},
    {2 * YEAR, "2 years ago"},
    {2 * YEAR + 65 * DAY, "2 years ago"},
    {3 * YEAR - 1, "2 years ago"},
    {10 * YEAR, "10 years ago"},
    {10 * 365.25 * DAY, "10 years ago"},
    {10000 * DAY, "27 years ago"},
    {999 * YEAR, "999 years ago"},
    {1000 * YEAR, "1,000 years ago"},
    {1141 * YEAR, "1,141 years ago"},
};

/* Negative input is the future; the magnitude is worded the same way. */
static const case_t FUTURE[] = {
    {-0.4, "now"},
    {-0.5, "now"},
    {-0.9999995, "a second from now"},
    {-1, "a second from now"},
    {-30, "30 seconds from now"},
    {-59.5, "59 seconds from now"},
    {-60, "a minute from now"},
    {-90, "a minute from now"},
    {-120, "2 minutes from now"},
    {-(HOUR + 30 * MIN + 30), "an hour from now"},
    {-(23 * HOUR + 50 * MIN + 50), "23 hours from now"},
    {-DAY, "a day from now"},
    {-30 * DAY, "30 days from now"},
    {-45 * DAY, "a month from now"},
    {-364 * DAY, "11 months from now"},
    {-YEAR, "a year from now"},
    {-366 * DAY, "1 year, 1 day from now"},
    {-500 * DAY, "1 year, 4 months from now"},
    {-(2 * YEAR + 35 * DAY), "2 years from now"},
    {-10000 * DAY, "27 years from now"},
};

/* humanize.naturaldelta: no tense, and "a moment" is kept. */
static const case_t DELTA[] = {
    {0, "a moment"},
    {0.5, "a moment"},
    {1, "a second"},
    {30, "30 seconds"},
    {-90, "a minute"},
    {120, "2 minutes"},
    {HOUR, "an hour"},
    {-7200, "2 hours"},
    {DAY, "a day"},
    {9 * DAY, "9 days"},
    {35 * DAY, "a month"},
    {-65 * DAY, "2 months"},
    {YEAR, "a year"},
    {369 * DAY, "1 year, 4 days"},
    {400 * DAY, "1 year, 1 month"},
    {-500 * DAY, "1 year, 4 months"},
    {2 * YEAR + 35 * DAY, "2 years"},
    {1141 * YEAR, "1,141 years"},
};

#define COUNT(t) (sizeof(t) / sizeof((t)[0]))

static void check_time(const case_t *t, size_t n) {
    for (size_t i = 0; i < n; i++)
        cr_expect_str_eq(humanize_naturaltime(A, t[i].seconds), t[i].expected, "naturaltime(%.9g)",
                         t[i].seconds);
}

Test(humanize, naturaltime_past) { check_time(PAST, COUNT(PAST)); }

Test(humanize, naturaltime_future) { check_time(FUTURE, COUNT(FUTURE)); }

Test(humanize, naturaldelta_table) {
    for (size_t i = 0; i < COUNT(DELTA); i++)
        cr_expect_str_eq(humanize_naturaldelta(A, DELTA[i].seconds), DELTA[i].expected,
                         "naturaldelta(%.9g)", DELTA[i].seconds);
}

/* naturaldelta ignores the sign, and naturaltime is naturaldelta plus a tense
 * (except the sub-second "a moment", which naturaltime calls "now"). */
Test(humanize, naturaltime_is_delta_plus_tense) {
    for (size_t i = 1; i < COUNT(PAST); i++) {
        double s = PAST[i].seconds;
        char *d = humanize_naturaldelta(A, s);
        cr_expect_str_eq(humanize_naturaldelta(A, -s), d, "naturaldelta(-%.9g)", s);
        if (strcmp(d, "a moment") == 0) continue;
        cr_expect_str_eq(humanize_naturaltime(A, s), arena_sprintf(A, "%s ago", d));
        cr_expect_str_eq(humanize_naturaltime(A, -s), arena_sprintf(A, "%s from now", d));
    }
}

/* Python raises OverflowError past timedelta's 999,999,999 days; we clamp.
 * (humanize's naturaltime already raises once now - delta leaves datetime's
 * years 1..9999; we keep wording those, as naturaldelta does.) */
Test(humanize, out_of_range_is_clamped) {
    cr_expect_str_eq(humanize_naturaldelta(A, 999999999 * DAY), "2,739,726 years");
    cr_expect_str_eq(humanize_naturaltime(A, 999999999 * DAY), "2,739,726 years ago");
    cr_expect_str_eq(humanize_naturaltime(A, 1e9 * DAY), "2,739,726 years ago");
    cr_expect_str_eq(humanize_naturaltime(A, 1e300), "2,739,726 years ago");
    cr_expect_str_eq(humanize_naturaltime(A, INFINITY), "2,739,726 years ago");
    cr_expect_str_eq(humanize_naturaltime(A, -INFINITY), "2,739,726 years from now");
    cr_expect_str_eq(humanize_naturaldelta(A, -1e300), "2,739,726 years");
}

/* humanize returns str(value) for a float NaN. */
Test(humanize, nan_is_echoed) {
    cr_expect_str_eq(humanize_naturaltime(A, NAN), "nan");
    cr_expect_str_eq(humanize_naturaldelta(A, NAN), "nan");
}
