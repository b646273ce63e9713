/* Report schedule schemas as one field table serving POST and PUT (how a
 * field stands in each is data of its row); see report_schema.h. */
#include "fcgi/api/report_schema.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi/app.h"
#include "lib/cron.h"
#include "lib/json.h"

typedef enum { K_STRING, K_BOOL, K_INT, K_INT_LIST, K_DICT, K_VALIDATOR, K_RECIPIENTS, K_TIMEZONE } kind_t;

/* The two schemas one table serves, and how a field stands in each. */
enum { POST, PUT };
typedef enum { OPTIONAL, REQUIRED, NULLABLE, ABSENT } presence_t;

/* Range(min) with its message. */
typedef struct range {
    int min;
    const char *msg;
} range_t;

typedef struct field {
    const char *name;
    kind_t kind;
    presence_t in[2];        /* per schema: POST, PUT */
    const char *const *choices;
    int min_len, max_len;    /* Length(min, max) when max_len > 0 */
    bool crontab, width;
    const range_t *range[2]; /* per schema; NULL: no Range */
} field_t;

static const char *const types[] = {"Alert", "Report", NULL};
static const char *const methods[] = {"charts", "dashboards", "alerts_reports", NULL};
static const char *const validators[] = {"not null", "operator", NULL};
static const char *const formats[] = {"PDF", "PNG", "CSV", "TEXT", NULL};
static const char *const recipient_types[] = {"Email", "Slack", "SlackV2", NULL};
static const char *const ops[] = {"<", "<=", ">", ">=", "==", "!=", NULL};

static const range_t GT0 = {1, "Value must be greater than 0"};
static const range_t GE0 = {0, "Value must be 0 or greater"};

#define BOTH(p) {p, p}

/* ReportSchedulePostSchema and ReportSchedulePutSchema, in their order. */
static const field_t fields[] = {
    {"type", K_STRING, .in = {REQUIRED, OPTIONAL}, .choices = types},
    {"name", K_STRING, .in = {REQUIRED, OPTIONAL}, .min_len = 1, .max_len = 150},
    {"description", K_STRING, .in = BOTH(NULLABLE)},
    {"email_subject", K_STRING, .in = BOTH(NULLABLE)},
    {"context_markdown", K_STRING, .in = BOTH(NULLABLE)},
    {"active", K_BOOL, .in = BOTH(OPTIONAL)},
    {"crontab", K_STRING, .in = {REQUIRED, OPTIONAL}, .min_len = 1, .max_len = 1000, .crontab = true},
    {"timezone", K_TIMEZONE, .in = BOTH(OPTIONAL)},
    {"sql", K_STRING, .in = {OPTIONAL, NULLABLE}},
    {"chart", K_INT, .in = BOTH(NULLABLE)},
    {"creation_method", K_STRING, .in = {OPTIONAL, NULLABLE}, .choices = methods},
    {"dashboard", K_INT, .in = BOTH(NULLABLE)},
    {"selected_tabs", K_INT_LIST, .in = {NULLABLE, ABSENT}},
    {"database", K_INT, .in = BOTH(OPTIONAL)},
    {"owners", K_INT_LIST, .in = BOTH(OPTIONAL)},
    {"validator_type", K_STRING, .in = {OPTIONAL, NULLABLE}, .choices = validators},
    {"validator_config_json", K_VALIDATOR, .in = BOTH(OPTIONAL)},
    {"log_retention", K_INT, .in = BOTH(OPTIONAL), .range = {&GT0, &GE0}},
    {"grace_period", K_INT, .in = BOTH(OPTIONAL), .range = BOTH(&GT0)},
    {"working_timeout", K_INT, .in = {OPTIONAL, NULLABLE}, .range = BOTH(&GT0)},
    {"recipients", K_RECIPIENTS, .in = BOTH(OPTIONAL)},
    {"report_format", K_STRING, .in = BOTH(OPTIONAL), .choices = formats},
    {"extra", K_DICT, .in = BOTH(OPTIONAL)},
    {"force_screenshot", K_BOOL, .in = BOTH(OPTIONAL)},
    {"custom_width", K_INT, .in = BOTH(NULLABLE), .width = true},
};
#define N_FIELDS (sizeof fields / sizeof fields[0])

static void add_msg(json_t *errors, const char *field, const char *msg) {
    json_t *l = json_object_get(errors, field);
    if (!l) json_object_set_new(errors, field, l = json_array());
    json_array_append_new(l, json_string(msg));
}

static const char *one_of(request_t *req, const char *const *choices) {
    strbuf_t sb;
    strbuf_init_arena(&sb, req->arena, 64);
    strbuf_puts(&sb, "Must be one of: ");
    for (const char *const *c = choices; *c; c++) strbuf_printf(&sb, "%s%s", c == choices ? "" : ", ", *c);
    strbuf_putc(&sb, '.');
    strbuf_putc(&sb, '\0');
    return sb.data;
}

static bool in_choices(const char *const *choices, const char *s) {
    for (; *choices; choices++)
        if (!strcmp(*choices, s)) return true;
    return false;
}

/* fields.Integer (not strict). */
static bool load_int(const json_t *v, long long *out) {
    if (json_is_integer(v)) return *out = json_integer_value(v), true;
    if (json_is_real(v) && isfinite(json_real_value(v)) && fabs(json_real_value(v)) < 9e18)
        return *out = (long long)json_real_value(v), true;
    if (!json_is_string(v)) return false;
    const char *s = json_string_value(v);
    while (isspace((unsigned char)*s)) s++;
    char *end;
    errno = 0;
    long long n = strtoll(s, &end, 10);
    while (isspace((unsigned char)*end)) end++;
    if (errno || *end || end == s) return false;
    *out = n;
    return true;
}

/* fields.Boolean's truthy and falsy sets. */
static int load_bool(const json_t *v) {
    static const char *const truthy[] = {"t", "T", "true", "True", "TRUE", "on", "On", "ON", "y", "Y", "yes", "Yes", "YES", "1", NULL};
    static const char *const falsy[] = {"f", "F", "false", "False", "FALSE", "off", "Off", "OFF", "n", "N", "no", "No", "NO", "0", NULL};
    if (json_is_boolean(v)) return json_is_true(v);
    if (json_is_number(v) && json_number_value(v) == 1) return 1;
    if (json_is_number(v) && json_number_value(v) == 0) return 0;
    if (json_is_string(v) && in_choices(truthy, json_string_value(v))) return 1;
    if (json_is_string(v) && in_choices(falsy, json_string_value(v))) return 0;
    return -1;
}

/* fields.Float: numbers and numeric strings, not booleans. */
static bool load_float(const json_t *v, double *out) {
    if (json_is_number(v)) return *out = json_number_value(v), true;
    if (!json_is_string(v)) return false;
    char *end;
    const char *s = json_string_value(v);
    double d = strtod(s, &end);
    if (end == s || *end) return false;
    *out = d;
    return isfinite(d);
}

static json_t *list_error(json_t **errs) {
    if (!*errs) *errs = json_object();
    return *errs;
}

static json_t *load_validator(const json_t *v, json_t **out) {
    json_t *errors = json_object();
    if (!json_is_object(v)) {
        add_msg(errors, "_schema", "Invalid input type.");
        return errors;
    }
    *out = json_object();
    const char *key;
    json_t *f;
    json_object_foreach((json_t *)v, key, f) {
        double d;
        if (!strcmp(key, "op")) {
            if (json_is_null(f)) add_msg(errors, key, "Field may not be null.");
            else if (!json_is_string(f)) add_msg(errors, key, "Not a valid string.");
            else if (!in_choices(ops, json_string_value(f))) add_msg(errors, key, "Must be one of: <, <=, >, >=, ==, !=.");
            else json_object_set(*out, key, f);
        } else if (!strcmp(key, "threshold")) {
            if (json_is_null(f)) add_msg(errors, key, "Field may not be null.");
            else if (json_is_boolean(f) || !load_float(f, &d)) add_msg(errors, key, "Not a valid number.");
            else json_object_set_new(*out, key, json_real(d));
        } else {
            add_msg(errors, key, "Unknown field.");
        }
    }
    if (json_object_size(errors)) return json_decref(*out), *out = NULL, errors;
    json_decref(errors);
    return NULL;
}

static json_t *load_recipient(const json_t *v, json_t **out) {
    json_t *errors = json_object();
    if (!json_is_object(v)) {
        add_msg(errors, "_schema", "Invalid input type.");
        return errors;
    }
    *out = json_object();
    json_t *type = json_object_get(v, "type");
    if (!type) add_msg(errors, "type", "Missing data for required field.");
    const char *key;
    json_t *f;
    json_object_foreach((json_t *)v, key, f) {
        if (!strcmp(key, "type")) {
            if (json_is_null(f)) add_msg(errors, key, "Field may not be null.");
            else if (!json_is_string(f)) add_msg(errors, key, "Not a valid string.");
            else if (!in_choices(recipient_types, json_string_value(f))) add_msg(errors, key, "Must be one of: Email, Slack, SlackV2.");
            else json_object_set(*out, key, f);
        } else if (!strcmp(key, "recipient_config_json")) {
            json_t *cfg_errors = json_object(), *cfg = json_object();
            if (json_is_null(f)) add_msg(errors, key, "Field may not be null.");
            else if (!json_is_object(f)) {
                add_msg(cfg_errors, "_schema", "Invalid input type.");
            } else {
                const char *k2;
                json_t *x;
                json_object_foreach(f, k2, x) {
                    if (strcmp(k2, "target") && strcmp(k2, "ccTarget") && strcmp(k2, "bccTarget"))
                        add_msg(cfg_errors, k2, "Unknown field.");
                    else if (json_is_null(x)) add_msg(cfg_errors, k2, "Field may not be null.");
                    else if (!json_is_string(x)) add_msg(cfg_errors, k2, "Not a valid string.");
                    else json_object_set(cfg, k2, x);
                }
            }
            if (json_object_size(cfg_errors)) json_object_set(errors, key, cfg_errors);
            else if (!json_is_null(f)) json_object_set(*out, key, cfg);
            json_decref(cfg_errors);
            json_decref(cfg);
        } else {
            add_msg(errors, key, "Unknown field.");
        }
    }
    if (json_object_size(errors)) return json_decref(*out), *out = NULL, errors;
    json_decref(errors);
    return NULL;
}

/* Loads one present field of schema; adds its errors; returns the loaded
 * value or NULL. */
static json_t *load_field(request_t *req, int schema, const field_t *f, const json_t *v, json_t *errors,
                          bool *db_error) {
    if (json_is_null(v)) {
        bool nullable = f->in[schema] == NULLABLE;
        if (!nullable) add_msg(errors, f->name, "Field may not be null.");
        return nullable ? json_null() : NULL;
    }
    const range_t *range = f->range[schema];
    long long n;
    switch (f->kind) {
    case K_STRING:
    case K_TIMEZONE: {
        if (!json_is_string(v)) return add_msg(errors, f->name, "Not a valid string."), NULL;
        const char *s = json_string_value(v);
        size_t before = json_array_size(json_object_get(errors, f->name));
        if (f->crontab && !cron_valid(s)) add_msg(errors, f->name, "Cron expression is not valid");
        if (f->max_len && ((int)json_string_length(v) < f->min_len || (int)json_string_length(v) > f->max_len))
            add_msg(errors, f->name, arena_sprintf(req->arena, "Length must be between %d and %d.", f->min_len, f->max_len));
        if (f->choices && !in_choices(f->choices, s)) add_msg(errors, f->name, one_of(req, f->choices));
        if (f->kind == K_TIMEZONE) {
            const char *p[] = {s};
            pg_error_t err;
            pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                                      "SELECT (SELECT count(*) FROM pg_timezone_names WHERE name = $1),"
                                      " (SELECT string_agg(name, ', ' ORDER BY name) FROM pg_timezone_names)", 1, p);
            if (!r) *db_error = true;
            else if (pg_get_int(r, 0, 0, 0) == 0)
                add_msg(errors, f->name, arena_sprintf(req->arena, "Must be one of: %s.", pg_get(r, 0, 1)));
        }
        return json_array_size(json_object_get(errors, f->name)) > before ? NULL : json_incref((json_t *)v);
    }
    case K_BOOL: {
        int b = load_bool(v);
        if (b < 0) return add_msg(errors, f->name, "Not a valid boolean."), NULL;
        return json_boolean(b);
    }
    case K_INT:
        if (json_is_boolean(v) || !load_int(v, &n)) return add_msg(errors, f->name, "Not a valid integer."), NULL;
        if (range && n < range->min) return add_msg(errors, f->name, range->msg), NULL;
        if (f->width) {
            long long lo = config_int(req->cfg, "ALERT_REPORTS_MIN_CUSTOM_SCREENSHOT_WIDTH", 600);
            long long hi = config_int(req->cfg, "ALERT_REPORTS_MAX_CUSTOM_SCREENSHOT_WIDTH", 2400);
            if (n < lo || n > hi)
                return add_msg(errors, f->name, arena_sprintf(req->arena, "Screenshot width must be between %lldpx and %lldpx", lo, hi)), NULL;
        }
        return json_integer(n);
    case K_INT_LIST: {
        if (!json_is_array(v)) return add_msg(errors, f->name, "Not a valid list."), NULL;
        json_t *out = json_array(), *item_errors = NULL;
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) {
            if (json_is_null(x) || json_is_boolean(x) || !load_int(x, &n))
                json_object_set_new(list_error(&item_errors), arena_sprintf(req->arena, "%zu", i),
                                    json_pack("[s]", json_is_null(x) ? "Field may not be null." : "Not a valid integer."));
            else json_array_append_new(out, json_integer(n));
        }
        if (item_errors) return json_object_set_new(errors, f->name, item_errors), json_decref(out), NULL;
        return out;
    }
    case K_DICT:
        if (!json_is_object(v)) return add_msg(errors, f->name, "Not a valid mapping type."), NULL;
        return json_incref((json_t *)v);
    case K_VALIDATOR: {
        json_t *out = NULL, *e = load_validator(v, &out);
        if (e) return json_object_set_new(errors, f->name, e), NULL;
        return out;
    }
    case K_RECIPIENTS: {
        if (!json_is_array(v)) return add_msg(errors, f->name, "Not a valid list."), NULL;
        json_t *out = json_array(), *item_errors = NULL;
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) {
            json_t *r = NULL, *e = load_recipient(x, &r);
            if (e) json_object_set_new(list_error(&item_errors), arena_sprintf(req->arena, "%zu", i), e);
            else json_array_append_new(out, r);
        }
        if (item_errors) return json_object_set_new(errors, f->name, item_errors), json_decref(out), NULL;
        return out;
    }
    }
    return NULL;
}

json_t *report_schema_load(request_t *req, const json_t *body, bool is_post, json_t **loaded, bool *db_error) {
    json_t *errors = json_object();
    *loaded = NULL;
    *db_error = false;
    if (!json_is_object(body)) {
        add_msg(errors, "_schema", "Invalid input type.");
        return errors;
    }
    int schema = is_post ? POST : PUT;
    json_t *out = json_object();
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)body, key, v) {
        const field_t *f = NULL;
        for (size_t i = 0; i < N_FIELDS && !f; i++)
            if (fields[i].in[schema] != ABSENT && !strcmp(fields[i].name, key)) f = &fields[i];
        if (!f) {
            add_msg(errors, key, "Unknown field.");
            continue;
        }
        json_t *val = load_field(req, schema, f, v, errors, db_error);
        if (val) json_object_set_new(out, key, val);
    }
    for (size_t i = 0; i < N_FIELDS; i++)
        if (fields[i].in[schema] == REQUIRED && !json_object_get(body, fields[i].name))
            add_msg(errors, fields[i].name, "Missing data for required field.");
    /* validates_schema runs only on field-valid data */
    if (is_post && !json_object_size(errors) &&
        !strcmp(json_string_value(json_object_get(out, "type")), "Report") && json_object_get(out, "database"))
        add_msg(errors, "database", "Database reference is not allowed on a report");
    if (json_object_size(errors)) {
        json_decref(out);
        return errors;
    }
    json_decref(errors);
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, out);
    *loaded = out;
    return NULL;
}
