/* Unit tests for sql/time_range: get_since_until, datetime_eval and
 * parse_human_datetime against the expectations of Superset 6.0.0's own
 * date parser tests (now = 2016-11-07 09:30:10, a Monday), plus the error
 * messages the /api/v1/time_range/ endpoint returns and hostile inputs. */
#include <criterion/criterion.h>
#include <string.h>

#include "sql/time_range.h"

TestSuite(time_range);

static tr_datetime_t NOW;
static void set_now(void) { NOW = time_range_make(2016, 11, 7, 9, 30, 10); }

static const char *iso(const tr_datetime_t *d) {
    static char buf[4][40];
    static int i;
    i = (i + 1) % 4;
    time_range_isoformat(d, buf[i]);
    return buf[i];
}

typedef struct {
    const char *range;
    const char *shift;
    const char *since; /* "" for no bound */
    const char *until;
} range_case_t;

static const range_case_t RANGES[] = {
    {"No filter", NULL, "", ""},
    {"", NULL, "", "2016-11-07T00:00:00"},
    {" : now", NULL, "", "2016-11-07T09:30:10"},
    {"yesterday : tomorrow", NULL, "2016-11-06T00:00:00", "2016-11-08T00:00:00"},
    {" : last 2 minutes", NULL, "", "2016-11-07T09:28:10"},
    {" : prior 2 minutes", NULL, "", "2016-11-07T09:28:10"},
    {" : next 2 minutes", NULL, "", "2016-11-07T09:32:10"},
    {"start of this month : ", NULL, "2016-11-01T00:00:00", ""},
    {"start of next month : ", NULL, "2016-12-01T00:00:00", ""},
    {"end of this month : ", NULL, "2016-11-30T00:00:00", ""},
    {"end of next month : ", NULL, "2016-12-31T00:00:00", ""},
    {"beginning of next year : ", NULL, "2017-01-01T00:00:00", ""},
    {"beginning of last year : ", NULL, "2015-01-01T00:00:00", ""},
    {"2018-01-01T00:00:00 : 2018-12-31T23:59:59", NULL, "2018-01-01T00:00:00", "2018-12-31T23:59:59"},
    {"Last day", NULL, "2016-11-06T00:00:00", "2016-11-07T00:00:00"},
    {"Last week", NULL, "2016-10-31T00:00:00", "2016-11-07T00:00:00"},
    {"Last month", NULL, "2016-10-07T00:00:00", "2016-11-07T00:00:00"},
    {"Last year", NULL, "2015-11-07T00:00:00", "2016-11-07T00:00:00"},
    {"Last quarter", NULL, "2016-08-07T00:00:00", "2016-11-07T00:00:00"},
    {"Last 5 months", NULL, "2016-06-07T00:00:00", "2016-11-07T00:00:00"},
    {"Last 1 month", NULL, "2016-10-07T00:00:00", "2016-11-07T00:00:00"},
    {"Next 5 months", NULL, "2016-11-07T00:00:00", "2017-04-07T00:00:00"},
    {"Next 1 month", NULL, "2016-11-07T00:00:00", "2016-12-07T00:00:00"},
    {"yesterday : tomorrow", "1 day", "2016-11-05T00:00:00", "2016-11-07T00:00:00"},
    {"previous calendar week", NULL, "2016-10-31T00:00:00", "2016-11-07T00:00:00"},
    {"previous calendar month", NULL, "2016-10-01T00:00:00", "2016-11-01T00:00:00"},
    {"previous calendar quarter", NULL, "2016-07-01T00:00:00", "2016-10-01T00:00:00"},
    {"previous calendar year", NULL, "2015-01-01T00:00:00", "2016-01-01T00:00:00"},
    {"Current day", NULL, "2016-11-07T00:00:00", "2016-11-08T00:00:00"},
    {"Current week", NULL, "2016-11-07T00:00:00", "2016-11-14T00:00:00"},
    {"Current month", NULL, "2016-11-01T00:00:00", "2016-12-01T00:00:00"},
    {"Current quarter", NULL, "2016-10-01T00:00:00", "2017-01-01T00:00:00"},
    {"Current year", NULL, "2016-01-01T00:00:00", "2017-01-01T00:00:00"},
    {"2000-01-01T00:00:00 : 2018-01-01T00:00:00", "1 year ago", "1999-01-01T00:00:00", "2017-01-01T00:00:00"},
    {"2000-01-01T00:00:00 : 2018-01-01T00:00:00", "1 month ago", "1999-12-01T00:00:00", "2017-12-01T00:00:00"},
    {"2000-01-01T00:00:00 : 2018-01-01T00:00:00", "1 week ago", "1999-12-25T00:00:00", "2017-12-25T00:00:00"},
    {"2000-01-01T00:00:00 : 2018-01-01T00:00:00", "52 weeks ago", "1999-01-02T00:00:00", "2017-01-02T00:00:00"},
    {"today : tomorrow", "yesterday : today", "2016-11-06T00:00:00", "2016-11-07T00:00:00"},
    {"2000-01-01 : now", "gibberish", "2000-01-01T00:00:00", "2016-11-07T09:30:10"},
    {"DATEADD(DATETIME(\"now\"), -7, day) : now", NULL, "2016-10-31T09:30:10", "2016-11-07T09:30:10"},
    {"DATEADD(DATETIME('today'), -1, week) : today", NULL, "2016-10-31T00:00:00", "2016-11-07T00:00:00"},
    {"Last 2 Weeks", NULL, "2016-10-24T00:00:00", "2016-11-07T00:00:00"},
    {"7 days ago : now", NULL, "2016-10-31T00:00:00", "2016-11-07T09:30:10"},
    {"3 hours ago : now", NULL, "2016-11-07T06:30:10", "2016-11-07T09:30:10"},
    {"2020-05-01T10:00:00.25 : 2020-05-02", NULL, "2020-05-01T10:00:00.250000", "2020-05-02T00:00:00"},
    {"2020-05-01T10:00:00Z : 2020-05-02T00:00:00+02:00", NULL, "2020-05-01T10:00:00+00:00",
     "2020-05-02T00:00:00+02:00"},
    {"Jan 5, 2020 : 5 March 2020", NULL, "2020-01-05T00:00:00", "2020-03-05T00:00:00"},
    {"2018 : 2018-9", NULL, "2018-01-01T00:00:00", "2018-09-01T00:00:00"},
    /* without a separator and not a known phrase, the range is ignored (reference quirk) */
    {"last week", NULL, "", "2016-11-07T00:00:00"},
    /* text after a complete expression is ignored, as pyparsing's parseString does */
    {"DATETIME('2001-01-01') trailing : now", NULL, "2001-01-01T00:00:00", "2016-11-07T09:30:10"},
};

Test(time_range, since_until_like_the_reference, .init = set_now) {
    for (size_t i = 0; i < sizeof RANGES / sizeof RANGES[0]; i++) {
        const range_case_t *c = &RANGES[i];
        tr_range_t r;
        char err[256] = "";
        tr_status_t st = time_range_since_until(c->range, c->shift, &NOW, &r, err, sizeof err);
        cr_assert_eq(st, TR_OK, "[%s | %s]: %s", c->range, c->shift ? c->shift : "", err);
        cr_expect_str_eq(r.has_since ? iso(&r.since) : "", c->since, "[%s] since", c->range);
        cr_expect_str_eq(r.has_until ? iso(&r.until) : "", c->until, "[%s] until", c->range);
    }
}

Test(time_range, previous_calendar_quarter_at_year_start) {
    tr_datetime_t now = time_range_make(2023, 1, 15, 12, 0, 0);
    tr_range_t r;
    char err[256];
    cr_assert_eq(time_range_since_until("previous calendar quarter", NULL, &now, &r, err, sizeof err), TR_OK);
    cr_expect_str_eq(iso(&r.since), "2022-10-01T00:00:00");
    cr_expect_str_eq(iso(&r.until), "2023-01-01T00:00:00");
}

typedef struct {
    const char *expr;
    const char *expected;
} eval_case_t;

static const eval_case_t EVALS[] = {
    {"datetime('now')", "2016-11-07T09:30:10"},
    {"datetime('today')", "2016-11-07T00:00:00"},
    {"datetime('2018')", "2018-01-01T00:00:00"},
    {"datetime('2018-9')", "2018-09-01T00:00:00"},
    {"dateadd(datetime('today'),1,year,)", "2017-11-07T00:00:00"},
    {"dateadd(datetime('today'), -2, year)", "2014-11-07T00:00:00"},
    {"dateadd(datetime('today'), 2, quarter)", "2017-05-07T00:00:00"},
    {"dateadd(datetime('today'), 3, month)", "2017-02-07T00:00:00"},
    {"dateadd(datetime('today'), -3, week)", "2016-10-17T00:00:00"},
    {"dateadd(datetime('today'), 3, day)", "2016-11-10T00:00:00"},
    {"dateadd(datetime('now'), 3, hour)", "2016-11-07T12:30:10"},
    {"dateadd(datetime('now'), 40, minute)", "2016-11-07T10:10:10"},
    {"dateadd(datetime('now'), -11, second)", "2016-11-07T09:29:59"},
    {"datetrunc(datetime('now'), year)", "2016-01-01T00:00:00"},
    {"datetrunc(datetime('now'), quarter)", "2016-10-01T00:00:00"},
    {"datetrunc(datetime('now'), month)", "2016-11-01T00:00:00"},
    {"datetrunc(datetime('now'), day)", "2016-11-07T00:00:00"},
    {"datetrunc(datetime('now'), week)", "2016-11-07T00:00:00"},
    {"datetrunc(datetime('2016-11-10T05:00:00'), week)", "2016-11-07T00:00:00"},
    {"datetrunc(datetime('now'), hour)", "2016-11-07T09:00:00"},
    {"datetrunc(datetime('now'), minute)", "2016-11-07T09:30:00"},
    {"datetrunc(datetime('now'), second)", "2016-11-07T09:30:10"},
    {"datetrunc(datetime('2020-01-01T10:11:12.345'), second)", "2020-01-01T10:11:12"},
    {"lastday(datetime('now'), year)", "2016-12-31T00:00:00"},
    {"lastday(datetime('today'), month)", "2016-11-30T00:00:00"},
    {"lastday(datetime('today'), week)", "2016-11-13T00:00:00"},
    {"lastday(dateadd(datetime('2018-01-01T00:00:00'), 1, month), month)", "2018-02-28T00:00:00"},
    {"dateadd(datetime('2018-01-01T00:00:00'), "
     "datediff(datetime('2018-01-10T00:00:00'), datetime('2018-01-01T00:00:00')), day,),",
     "2017-12-23T00:00:00"},
    {"DATEADD(DATETIME('2020-02-29'), 1, YEAR)", "2021-02-28T00:00:00"},
    {"DATEADD(DATETIME('2020-02-29'), -1, year)", "2019-02-28T00:00:00"},
    {"DATEADD(DATETIME('2020-01-31'), 1, month)", "2020-02-29T00:00:00"},
    {"DATEADD(DATETIME('2020-03-31'), -13, month)", "2019-02-28T00:00:00"},
    {"  DateAdd ( DATETIME ( \"one year ago\" ) , +1 , Day )", "2015-11-08T00:00:00"},
    {"datetime('2 years after')", "2018-11-07T00:00:00"},
    {"datetime('in 3 days')", "2016-11-10T00:00:00"},
    {"datetime('2 weeks from now')", "2016-11-21T00:00:00"},
    {"datetime('2/3/1969')", "1969-02-03T00:00:00"},
    {"datetime('20200102')", "2020-01-02T00:00:00"},
    {"datetime('2015-04-03 10:20')", "2015-04-03T10:20:00"},
};

Test(time_range, datetime_eval_like_the_reference, .init = set_now) {
    for (size_t i = 0; i < sizeof EVALS / sizeof EVALS[0]; i++) {
        tr_datetime_t d;
        char err[256] = "";
        tr_status_t st = time_range_eval(EVALS[i].expr, &NOW, &d, err, sizeof err);
        cr_assert_eq(st, TR_OK, "%s: %s", EVALS[i].expr, err);
        cr_expect_str_eq(iso(&d), EVALS[i].expected, "%s", EVALS[i].expr);
    }
}

typedef struct {
    const char *range;
    const char *shift;
    tr_status_t status;
    const char *message; /* prefix of the message */
} error_case_t;

static const error_case_t ERRORS[] = {
    {"tomorrow : yesterday", NULL, TR_INVALID, "From date cannot be larger than to date"},
    {"5 days : now", NULL, TR_INVALID, "Time string is ambiguous. Please specify [5 days ago] or [5 days later]."},
    {"xxxxxxx : now", NULL, TR_INVALID, "Cannot parse time string [xxxxxxx]"},
    {"2020-02-30 : now", NULL, TR_INVALID, "Cannot parse time string [2020-02-30]"},
    {"DATEADD(DATETIME('today'), -1, days) : now", NULL, TR_INVALID, "Expected "},
    {"DATEADD(DATETIME('today') -1, day) : now", NULL, TR_INVALID, "Expected ','"},
    {"DATETIME('today',) : now", NULL, TR_INVALID, "Expected ')'"},
    {"DATEADD(DATETIME('bogus'), 1, day) : now", NULL, TR_INVALID, "Cannot parse time string [bogus]"},
    {"DATEADD(DATETIME('today'), 99999, year) : ", NULL, TR_INVALID, "year 102015 is out of range"},
    {"DATEADD(DATETIME('today'), 999999999999999999999999, day) : ", NULL, TR_FAILURE, "date value out of range"},
    {"HOLIDAY('Christmas') : now", NULL, TR_INVALID, "Unable to find such a holiday: [Christmas]"},
    {"DATETIME('2020-01-01Z') : DATETIME('2021-01-01')", NULL, TR_INVALID, "Cannot parse time string"},
    {"DATETIME('2020-01-01T00:00:00Z') : 2021-01-01", NULL, TR_FAILURE,
     "can't compare offset-naive and offset-aware datetimes"},
    {"today : tomorrow", "yesterday : ", TR_INVALID, "Cannot parse time string []"},
};

Test(time_range, errors_carry_the_reference_messages, .init = set_now) {
    for (size_t i = 0; i < sizeof ERRORS / sizeof ERRORS[0]; i++) {
        tr_range_t r;
        char err[256] = "";
        tr_status_t st = time_range_since_until(ERRORS[i].range, ERRORS[i].shift, &NOW, &r, err, sizeof err);
        cr_expect_eq(st, ERRORS[i].status, "[%s]: status %d (%s)", ERRORS[i].range, st, err);
        cr_expect(!strncmp(err, ERRORS[i].message, strlen(ERRORS[i].message)), "[%s]: %s", ERRORS[i].range, err);
    }
}

Test(time_range, a_bare_datediff_is_not_a_bound, .init = set_now) {
    tr_datetime_t d;
    char err[256];
    cr_assert_eq(time_range_eval("datediff(datetime('2018-01-01'), datetime('2018-01-10'))", &NOW, &d, err, sizeof err),
                 TR_FAILURE);
}

/* Deep nesting, huge input, unterminated quotes and stray bytes: errors, no crash. */
Test(time_range, hostile_inputs, .init = set_now) {
    char deep[8192] = "";
    for (int i = 0; i < 200; i++) strcat(deep, "DATETRUNC(");
    strcat(deep, "DATETIME('now')");
    for (int i = 0; i < 200; i++) strcat(deep, ", day)");
    strcat(deep, " : now");
    static char huge[TIME_RANGE_MAX_INPUT + 64];
    memset(huge, 'a', sizeof huge - 1);
    const char *inputs[] = {deep, huge, "DATETIME('unterminated : now", "DATETIME(\"\\x\") : now",
                            "\x01\x02 : \xff\xfe", "DATEADD( : )", "DATEDIFF(DATETIME('now'), DATETIME('now'),) : now",
                            " :  : ", "DATEADD(DATETIME('now'), DATEDIFF(DATETIME('now'), DATETIME('now'), month), day) : "};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        tr_range_t r;
        char err[256] = "";
        tr_status_t st = time_range_since_until(inputs[i], NULL, &NOW, &r, err, sizeof err);
        cr_expect_neq(st, TR_OK, "input %zu accepted", i);
        cr_expect(err[0], "input %zu: no message", i);
    }
}
