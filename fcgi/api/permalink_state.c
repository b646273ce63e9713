/* Permalink state schemas; see permalink_state.h. */
#include "fcgi/api/permalink_state.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

#include "lib/strbuf.h"

#define N(a) (sizeof a / sizeof a[0])

static const pf_field_t explore_fields[] = {
    {"formData", PF_DICT, true, false},
    {"urlParams", PF_PAIRS, false, true},
};
static const pf_field_t sqllab_fields[] = {
    {"autorun", PF_BOOL, false, false}, {"dbId", PF_INT, true, false},    {"name", PF_STR, true, false},
    {"schema", PF_STR, false, true},    {"catalog", PF_STR, false, true}, {"sql", PF_STR, true, false},
    {"templateParams", PF_STR, false, true},
};
static const pf_field_t dashboard_fields[] = {
    {"dataMask", PF_DICT, false, true},
    {"activeTabs", PF_STR_LIST, false, true},
    {"urlParams", PF_PAIRS, false, true},
    {"anchor", PF_STR, false, true},
};

const pf_schema_t explore_state_schema = {explore_fields, N(explore_fields)};
const pf_schema_t sqllab_state_schema = {sqllab_fields, N(sqllab_fields)};
const pf_schema_t dashboard_state_schema = {dashboard_fields, N(dashboard_fields)};

static json_t *msg(const char *m) { return json_pack("[s]", m); }

/* String field (allow_none as given): NULL error or the message list. */
static json_t *check_str(const json_t *v, bool allow_none) {
    if (json_is_null(v)) return allow_none ? NULL : msg("Field may not be null.");
    return json_is_string(v) ? NULL : msg("Not a valid string.");
}

/* Per-index errors of a list of strings or of [str|null, str|null] pairs. */
static json_t *check_list(const json_t *v, bool pairs) {
    if (!json_is_array(v)) return msg("Not a valid list.");
    json_t *errs = json_object();
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) {
        char idx[24];
        snprintf(idx, sizeof idx, "%zu", i);
        json_t *e = NULL;
        if (!pairs) e = check_str(item, false);
        else if (!json_is_array(item) || json_array_size(item) != 2) e = msg("Not a valid tuple.");
        else {
            for (size_t k = 0; k < 2; k++) {
                json_t *ek = check_str(json_array_get(item, k), true);
                if (!ek) continue;
                if (!e) e = json_object();
                json_object_set_new(e, k ? "1" : "0", ek);
            }
        }
        if (e) json_object_set_new(errs, idx, e);
    }
    if (json_object_size(errs)) return errs;
    json_decref(errs);
    return NULL;
}

/* marshmallow Integer (strict=False): ints, integral reals, numeric strings. */
static json_t *load_int(const json_t *v) {
    if (json_is_integer(v)) return json_integer(json_integer_value(v));
    if (json_is_real(v)) {
        double d = json_real_value(v);
        return d == floor(d) && fabs(d) < 9.2e18 ? json_integer((json_int_t)d) : NULL;
    }
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        while (isspace((unsigned char)*s)) s++;
        char *end;
        long long n = strtoll(s, &end, 10);
        while (isspace((unsigned char)*end)) end++;
        return end != s && !*end ? json_integer(n) : NULL;
    }
    return NULL;
}

/* marshmallow Boolean's truthy / falsy sets (the common members). */
static int load_bool(const json_t *v) {
    static const char *const truthy[] = {"true", "True", "TRUE", "t", "T", "1", "yes", "Yes", "y", "Y", "on", "On"};
    static const char *const falsy[] = {"false", "False", "FALSE", "f", "F", "0", "no", "No", "n", "N", "off", "Off"};
    if (json_is_boolean(v)) return json_is_true(v);
    if (json_is_integer(v) && (json_integer_value(v) == 0 || json_integer_value(v) == 1))
        return (int)json_integer_value(v);
    if (json_is_string(v)) {
        for (size_t i = 0; i < N(truthy); i++)
            if (!strcmp(json_string_value(v), truthy[i])) return 1;
        for (size_t i = 0; i < N(falsy); i++)
            if (!strcmp(json_string_value(v), falsy[i])) return 0;
    }
    return -1;
}

/* Loads one present field into *out (new reference) or returns its errors. */
static json_t *load_field(const pf_field_t *f, json_t *v, json_t **out) {
    *out = NULL;
    if (json_is_null(v)) {
        if (!f->allow_none) return msg("Field may not be null.");
        *out = json_null();
        return NULL;
    }
    json_t *e = NULL;
    switch (f->kind) {
    case PF_DICT:
        if (!json_is_object(v)) return msg("Not a valid mapping type.");
        break;
    case PF_PAIRS:
    case PF_STR_LIST:
        if ((e = check_list(v, f->kind == PF_PAIRS))) return e;
        break;
    case PF_STR:
        if ((e = check_str(v, f->allow_none))) return e;
        break;
    case PF_INT:
        if (!(*out = load_int(v))) return msg("Not a valid integer.");
        return NULL;
    case PF_BOOL: {
        int b = load_bool(v);
        if (b < 0) return msg("Not a valid boolean.");
        *out = json_boolean(b);
        return NULL;
    }
    }
    *out = json_deep_copy(v);
    return NULL;
}

json_t *pf_load(const pf_schema_t *s, const json_t *body, json_t **errors) {
    *errors = NULL;
    if (!json_is_object(body)) {
        *errors = json_pack("{s:[s]}", "_schema", "Invalid input type.");
        return NULL;
    }
    json_t *out = json_object(), *errs = json_object();
    for (size_t i = 0; i < s->count; i++) {
        const pf_field_t *f = &s->fields[i];
        json_t *v = json_object_get(body, f->name);
        if (!v) {
            if (f->required) json_object_set_new(errs, f->name, msg("Missing data for required field."));
            continue;
        }
        json_t *loaded = NULL, *e = load_field(f, v, &loaded);
        if (e) json_object_set_new(errs, f->name, e);
        else json_object_set_new(out, f->name, loaded);
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)body, key, v) {
        bool known = false;
        for (size_t i = 0; i < s->count && !known; i++) known = !strcmp(s->fields[i].name, key);
        if (!known) json_object_set_new(errs, key, msg("Unknown field."));
    }
    if (json_object_size(errs)) {
        json_decref(out);
        *errors = errs;
        return NULL;
    }
    json_decref(errs);
    return out;
}

static void repr_str(strbuf_t *sb, const char *s) {
    strbuf_putc(sb, '\'');
    for (; *s; s++) {
        if (*s == '\'' || *s == '\\') strbuf_putc(sb, '\\');
        strbuf_putc(sb, *s);
    }
    strbuf_putc(sb, '\'');
}

static bool all_digits(const char *s) {
    if (!*s) return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s)) return false;
    return true;
}

/* List indexes are int keys in marshmallow's messages: written unquoted. */
static void repr(strbuf_t *sb, const json_t *j) {
    if (json_is_string(j)) repr_str(sb, json_string_value(j));
    else if (json_is_array(j)) {
        strbuf_putc(sb, '[');
        for (size_t i = 0; i < json_array_size(j); i++) {
            if (i) strbuf_puts(sb, ", ");
            repr(sb, json_array_get(j, i));
        }
        strbuf_putc(sb, ']');
    } else if (json_is_object(j)) {
        strbuf_putc(sb, '{');
        const char *k;
        json_t *v;
        bool first = true;
        json_object_foreach((json_t *)j, k, v) {
            if (!first) strbuf_puts(sb, ", ");
            first = false;
            if (all_digits(k)) strbuf_puts(sb, k);
            else repr_str(sb, k);
            strbuf_puts(sb, ": ");
            repr(sb, v);
        }
        strbuf_putc(sb, '}');
    }
}

char *pf_messages_repr(arena_t *a, const json_t *messages) {
    strbuf_t sb;
    strbuf_init_arena(&sb, a, 64);
    repr(&sb, messages);
    return sb.data;
}
