/* Form-data adjustments; see form_data_merge.h. */
#include "domain/form_data_merge.h"

#include <openssl/evp.h>
#include <string.h>

#include "lib/crypto.h"
#include "lib/json.h"

#define NO_TIME_RANGE "No filter"

/* Python truthiness of a JSON value. */
static bool truthy(const json_t *v) {
    if (!v || json_is_null(v) || json_is_false(v)) return false;
    if (json_is_string(v)) return *json_string_value(v) != '\0';
    if (json_is_integer(v)) return json_integer_value(v) != 0;
    if (json_is_real(v)) return json_real_value(v) != 0.0;
    if (json_is_array(v)) return json_array_size(v) > 0;
    if (json_is_object(v)) return json_object_size(v) > 0;
    return true;
}

void fd_update_time_range(json_t *fd) {
    json_t *since = json_object_get(fd, "since"), *until = json_object_get(fd, "until");
    if (since || until) {
        char buf[1024];
        const char *s = json_is_string(since) ? json_string_value(since) : "";
        const char *u = json_is_string(until) ? json_string_value(until) : "";
        snprintf(buf, sizeof buf, "%s : %s", s, u);
        json_object_del(fd, "since");
        json_object_del(fd, "until");
        json_object_set_new(fd, "time_range", json_string(buf));
    }
    json_t *temporal = json_object_get(fd, "granularity_sqla");
    if (!truthy(temporal) || json_object_get(fd, "time_range")) return;
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(fd, "adhoc_filters"), i, f) {
        const json_t *cmp = json_object_get(f, "comparator");
        if (json_equal(json_object_get(f, "subject"), temporal) && json_is_string(cmp) &&
            !strcmp(json_string_value(cmp), NO_TIME_RANGE)) {
            json_object_set_new(fd, "time_range", json_string(NO_TIME_RANGE));
            return;
        }
    }
}

/* md5 hex of json.dumps(obj, sort_keys=True). */
static json_t *option_name(const json_t *obj) {
    /* jansson's default separators are ", " and ": ", as json.dumps writes */
    char *text = json_dumps(obj, JSON_ENSURE_ASCII | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_Digest(text ? text : "", text ? strlen(text) : 0, md, &n, EVP_md5(), NULL);
    free(text);
    char hex[2 * EVP_MAX_MD_SIZE + 1];
    crypto_hex_encode(md, n, hex);
    return json_string(hex);
}

static void upper(char *dst, const char *src, size_t cap) {
    size_t i = 0;
    for (; src[i] && i + 1 < cap; i++) dst[i] = (char)(src[i] >= 'a' && src[i] <= 'z' ? src[i] - 32 : src[i]);
    dst[i] = '\0';
}

json_t *fd_simple_filter_to_adhoc(const json_t *filter, const char *clause) {
    json_t *op = json_object_get(filter, "op"), *col = json_object_get(filter, "col");
    if (!op || !col) return NULL;
    char cl[16];
    upper(cl, clause, sizeof cl);
    json_t *val = json_object_get(filter, "val");
    json_t *r = json_object();
    json_object_set_new(r, "clause", json_string(cl));
    json_object_set_new(r, "expressionType", json_string("SIMPLE"));
    json_object_set(r, "comparator", val ? val : json_null());
    json_object_set(r, "operator", op);
    json_object_set(r, "subject", col);
    if (truthy(json_object_get(filter, "isExtra"))) json_object_set_new(r, "isExtra", json_true());
    json_object_set_new(r, "filterOptionName", option_name(r));
    return r;
}

static json_t *clause_to_adhoc(const json_t *fd, const char *clause) {
    char cl[16];
    upper(cl, clause, sizeof cl);
    json_t *expr = json_object_get(fd, clause);
    json_t *r = json_object();
    json_object_set_new(r, "clause", json_string(cl));
    json_object_set_new(r, "expressionType", json_string("SQL"));
    json_object_set(r, "sqlExpression", expr ? expr : json_null());
    json_object_set_new(r, "filterOptionName", option_name(r));
    return r;
}

bool fd_convert_legacy_filters(json_t *fd) {
    static const char *const clauses[] = {"having", "where"};
    static const char *const legacy[] = {"filters", "having", "where"};
    if (!truthy(json_object_get(fd, "adhoc_filters"))) {
        json_t *adhoc = json_array();
        json_object_set_new(fd, "adhoc_filters", adhoc);
        for (size_t i = 0; i < 2; i++) {
            json_t *v = json_object_get(fd, clauses[i]);
            if (v && !(json_is_string(v) && !*json_string_value(v)))
                json_array_append_new(adhoc, clause_to_adhoc(fd, clauses[i]));
        }
        json_t *filters = json_object_get(fd, "filters");
        if (filters && !json_is_array(filters)) return false;
        size_t i;
        json_t *f;
        json_array_foreach(filters, i, f) {
            if (json_is_null(f)) continue;
            json_t *a = fd_simple_filter_to_adhoc(f, "where");
            if (!a) return false;
            json_array_append_new(adhoc, a);
        }
    }
    for (size_t i = 0; i < 3; i++) json_object_del(fd, legacy[i]);
    return true;
}

/* merge_extra_form_data */
static bool merge_extra_form_data(json_t *fd) {
    static const char *const regular[][2] = {
        {"granularity_sqla", "granularity"}, {"time_column", "time_column"}, {"time_grain", "time_grain"},
        {"time_range", "time_range"},       {"time_grain_sqla", "time_grain_sqla"},
    };
    static const char *const extra_keys[] = {"relative_start", "relative_end"};
    json_t *extra = json_object_get(fd, "extra_form_data");
    extra = extra ? json_incref(extra) : json_object();
    json_object_del(fd, "extra_form_data");
    bool ok = json_is_object(extra);
    json_t *append_filters = ok ? json_object_get(extra, "filters") : NULL;
    for (size_t i = 0; ok && i < sizeof regular / sizeof regular[0]; i++) {
        json_t *v = json_object_get(extra, regular[i][0]);
        if (v && !json_is_null(v)) json_object_set(fd, regular[i][1], v);
    }
    json_t *extras = json_object_get(fd, "extras");
    extras = extras ? json_incref(extras) : json_object();
    for (size_t i = 0; ok && i < 2; i++) {
        json_t *v = json_object_get(extra, extra_keys[i]);
        if (v && !json_is_null(v)) {
            if (!json_is_object(extras)) ok = false;
            else json_object_set(extras, extra_keys[i], v);
        }
    }
    if (ok && truthy(extras)) json_object_set(fd, "extras", extras);
    json_decref(extras);
    json_t *adhoc = json_object_get(fd, "adhoc_filters");
    if (!adhoc) json_object_set_new(fd, "adhoc_filters", adhoc = json_array());
    size_t i;
    json_t *f;
    json_array_foreach(ok ? json_object_get(extra, "adhoc_filters") : NULL, i, f) {
        if (!json_is_array(adhoc) || !json_is_object(f)) {
            ok = false;
            break;
        }
        json_t *copy = json_pack("{s:b}", "isExtra", 1);
        json_object_update(copy, f);
        json_array_append_new(adhoc, copy);
    }
    if (ok && truthy(append_filters)) {
        const char *key;
        json_t *value;
        json_object_foreach(fd, key, value) {
            if (strncmp(key, "adhoc_filter", 12)) continue;
            if (!json_is_array(value) || !json_is_array(append_filters)) {
                ok = false;
                break;
            }
            json_array_foreach(append_filters, i, f) {
                if (!truthy(f)) continue;
                json_t *tagged = json_pack("{s:b}", "isExtra", 1);
                json_object_update(tagged, f);
                json_t *a = fd_simple_filter_to_adhoc(tagged, "where");
                json_decref(tagged);
                if (!a) {
                    ok = false;
                    break;
                }
                json_array_append_new(value, a);
            }
        }
    }
    json_t *range = json_object_get(fd, "time_range");
    if (ok && truthy(range) && !truthy(json_object_get(fd, "granularity_sqla"))) {
        json_array_foreach(json_object_get(fd, "adhoc_filters"), i, f) {
            const json_t *op = json_object_get(f, "operator");
            if (json_is_string(op) && !strcmp(json_string_value(op), "TEMPORAL_RANGE"))
                json_object_set(f, "comparator", range);
        }
    }
    json_decref(extra);
    return ok;
}

/* f"{subject}__{operator}" / f"{col}__{op}" with str() of strings and numbers. */
static char *filter_key(const json_t *f, bool adhoc) {
    const json_t *a = json_object_get(f, adhoc ? "subject" : "col"), *b = json_object_get(f, adhoc ? "operator" : "op");
    char *sa = json_is_string(a) ? strdup(json_string_value(a)) : json_dumps(a, JSON_ENCODE_ANY);
    char *sb = json_is_string(b) ? strdup(json_string_value(b)) : json_dumps(b, JSON_ENCODE_ANY);
    size_t n = strlen(sa ? sa : "") + strlen(sb ? sb : "") + 3;
    char *k = malloc(n);
    snprintf(k, n, "%s__%s", sa ? sa : "", sb ? sb : "");
    free(sa);
    free(sb);
    return k;
}

static bool contains(const json_t *arr, const json_t *v) {
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x) if (json_equal(x, v)) return true;
    return false;
}

static bool same_set(const json_t *a, const json_t *b) {
    size_t i;
    json_t *x;
    json_array_foreach(a, i, x) if (!contains(b, x)) return false;
    json_array_foreach(b, i, x) if (!contains(a, x)) return false;
    return true;
}

/* Whether the extra filter adds an adhoc filter given the existing ones. */
static bool adds_filter(const json_t *existing, const json_t *filtr) {
    char *key = filter_key(filtr, false);
    const json_t *current = json_object_get(existing, key);
    free(key);
    const json_t *val = json_object_get(filtr, "val");
    if (!current) return true;
    if (json_is_array(val)) return !json_is_array(current) || !same_set(current, val);
    return !json_equal(val, current);
}

static bool merge_extra_filter_list(json_t *fd, json_t *adhoc, json_t *extra_filters) {
    static const char *const date_options[][2] = {
        {"__time_range", "time_range"}, {"__time_col", "granularity_sqla"}, {"__time_grain", "time_grain_sqla"}};
    if (!json_is_array(extra_filters) || !json_is_array(adhoc)) return false;
    json_t *existing = json_object();
    size_t i;
    json_t *e;
    bool ok = true;
    json_array_foreach(adhoc, i, e) {
        const json_t *type = json_object_get(e, "expressionType");
        if (!type) {
            ok = false;
            break;
        }
        const json_t *cmp = json_object_get(e, "comparator"), *subject = json_object_get(e, "subject");
        if (!json_is_string(type) || strcmp(json_string_value(type), "SIMPLE") || !cmp || json_is_null(cmp) ||
            !subject || json_is_null(subject))
            continue;
        char *key = filter_key(e, true);
        json_object_set(existing, key, (json_t *)cmp);
        free(key);
    }
    json_t *applied = json_object_get(fd, "applied_time_extras");
    json_t *f;
    json_array_foreach(ok ? extra_filters : NULL, i, f) {
        json_t *col = json_object_get(f, "col");
        if (!json_is_object(f) || !col) {
            ok = false;
            break;
        }
        json_object_set_new(f, "isExtra", json_true());
        const char *time_extra = NULL;
        for (size_t k = 0; json_is_string(col) && k < 3; k++)
            if (!strcmp(json_string_value(col), date_options[k][0])) time_extra = date_options[k][1];
        json_t *val = json_object_get(f, "val");
        if (time_extra) {
            if (truthy(val) && !(json_is_string(val) && !strcmp(json_string_value(val), NO_TIME_RANGE))) {
                json_object_set(fd, time_extra, val);
                if (json_is_object(applied)) json_object_set(applied, json_string_value(col), val);
            }
            continue;
        }
        if (!val) {
            ok = false;
            break;
        }
        if (!truthy(val) || !adds_filter(existing, f)) continue;
        json_t *a = fd_simple_filter_to_adhoc(f, "where");
        if (!a) {
            ok = false;
            break;
        }
        json_array_append_new(adhoc, a);
    }
    json_decref(existing);
    json_object_del(fd, "extra_filters");
    return ok;
}

bool fd_merge_extra_filters(json_t *fd) {
    if (!json_object_get(fd, "applied_time_extras")) json_object_set_new(fd, "applied_time_extras", json_object());
    json_t *adhoc = json_object_get(fd, "adhoc_filters");
    if (!adhoc) json_object_set_new(fd, "adhoc_filters", adhoc = json_array());
    json_incref(adhoc);
    bool ok = merge_extra_form_data(fd);
    json_t *extra_filters = json_object_get(fd, "extra_filters");
    if (ok && extra_filters) ok = merge_extra_filter_list(fd, adhoc, extra_filters);
    json_decref(adhoc);
    return ok;
}

void fd_merge_request_param(json_t *fd, const char *name, const char *value) {
    if (!strcmp(name, "form_data") || !strcmp(name, "r")) return;
    json_t *params = json_object_get(fd, "url_params");
    if (!json_is_object(params)) json_object_set_new(fd, "url_params", params = json_object());
    json_object_set_new(params, name, json_string(value));
}
