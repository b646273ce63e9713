/* Marshmallow loads of the tag write schemas; see tag_schema.h. */
#include "fcgi/api/tag_schema.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi/errors.h"
#include "fcgi/event_logger.h"

json_t *tag_json_body(request_t *req) {
    if (!req_is_json(req)) { /* werkzeug's UnsupportedMediaType is not a BadRequest: @safe answers 500 */
        event_log_skip(req); /* raised through the event logger: no row */
        error_fab(req, 500, "Fatal error");
        return NULL;
    }
    json_t *body = json_loadb(req->body.data, req->body.len, JSON_DECODE_ANY, NULL);
    if (!body) {
        event_log_skip(req);
        error_fab(req, 400, "400 Bad Request: The browser (or proxy) sent a request that this server could not"
                            " understand.");
        return NULL;
    }
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, body);
    return body;
}

static json_t *msg_list(const char *msg) { return json_pack("[s]", msg); }

/* fields.Integer (not strict): integers, integral-truncated floats and
 * numeric strings; booleans and anything else are invalid. */
static bool load_int(const json_t *v, long long *out) {
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return true;
    }
    if (json_is_real(v) && isfinite(json_real_value(v)) && fabs(json_real_value(v)) < 9e18) {
        *out = (long long)json_real_value(v);
        return true;
    }
    if (!json_is_string(v)) return false;
    const char *s = json_string_value(v);
    while (isspace((unsigned char)*s)) s++;
    if (!*s) return false;
    char *end;
    errno = 0;
    long long n = strtoll(s, &end, 10);
    while (isspace((unsigned char)*end)) end++;
    if (errno || *end || end == s) return false;
    *out = n;
    return true;
}

/* fields.Tuple((String, Int(Range(min=1)))): errors keyed by position. */
static json_t *load_pair(const json_t *v, json_t **pair) {
    if (!json_is_array(v)) return msg_list("Not a valid tuple.");
    if (json_array_size(v) != 2) return msg_list("Length must be 2.");
    json_t *errors = json_object();
    json_t *type = json_array_get(v, 0), *id = json_array_get(v, 1);
    long long n = 0;
    if (json_is_null(type)) json_object_set_new(errors, "0", msg_list("Field may not be null."));
    else if (!json_is_string(type)) json_object_set_new(errors, "0", msg_list("Not a valid string."));
    if (json_is_null(id)) json_object_set_new(errors, "1", msg_list("Field may not be null."));
    else if (!load_int(id, &n)) json_object_set_new(errors, "1", msg_list("Not a valid integer."));
    else if (n < 1) json_object_set_new(errors, "1", msg_list("Must be greater than or equal to 1."));
    if (json_object_size(errors)) return errors;
    json_decref(errors);
    *pair = json_pack("[O,I]", type, (json_int_t)n);
    return NULL;
}

static json_t *load_objects(const json_t *v, json_t **list) {
    if (json_is_null(v)) return msg_list("Field may not be null.");
    if (!json_is_array(v)) return msg_list("Not a valid list.");
    json_t *errors = json_object();
    *list = json_array();
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) {
        json_t *pair = NULL;
        json_t *e = load_pair(item, &pair);
        char k[24];
        snprintf(k, sizeof k, "%zu", i);
        if (e) json_object_set_new(errors, k, e);
        else json_array_append_new(*list, pair);
    }
    if (!json_object_size(errors)) {
        json_decref(errors);
        return NULL;
    }
    json_decref(*list);
    *list = NULL;
    return errors;
}

json_t *tag_object_load(request_t *req, const json_t *v, json_t **loaded) {
    json_t *errors = json_object();
    *loaded = NULL;
    if (!json_is_object(v)) {
        json_object_set_new(errors, "_schema", msg_list("Invalid input type."));
        return errors;
    }
    json_t *out = json_object();
    const char *key;
    json_t *f;
    json_object_foreach((json_t *)v, key, f) {
        if (!strcmp(key, "name")) {
            if (json_is_null(f)) json_object_set_new(errors, key, msg_list("Field may not be null."));
            else if (!json_is_string(f)) json_object_set_new(errors, key, msg_list("Not a valid string."));
            else if (!json_string_length(f)) json_object_set_new(errors, key, msg_list("Shorter than minimum length 1."));
            else json_object_set(out, key, f);
        } else if (!strcmp(key, "description")) {
            if (!json_is_null(f) && !json_is_string(f)) json_object_set_new(errors, key, msg_list("Not a valid string."));
            else json_object_set(out, key, f);
        } else if (!strcmp(key, "objects_to_tag")) {
            json_t *list = NULL;
            json_t *e = load_objects(f, &list);
            if (e) json_object_set_new(errors, key, e);
            else json_object_set_new(out, key, list);
        } else {
            json_object_set_new(errors, key, msg_list("Unknown field."));
        }
    }
    if (json_object_size(errors)) {
        json_decref(out);
        return errors;
    }
    json_decref(errors);
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, out);
    *loaded = out;
    return NULL;
}

json_t *tag_bulk_load(request_t *req, const json_t *v) {
    json_t *errors = json_object();
    if (!json_is_object(v)) {
        json_object_set_new(errors, "_schema", msg_list("Invalid input type."));
        return errors;
    }
    const char *key;
    json_t *f;
    json_object_foreach((json_t *)v, key, f) {
        if (strcmp(key, "tags")) {
            json_object_set_new(errors, key, msg_list("Unknown field."));
        } else if (json_is_null(f)) {
            json_object_set_new(errors, key, msg_list("Field may not be null."));
        } else if (!json_is_array(f)) {
            json_object_set_new(errors, key, msg_list("Not a valid list."));
        } else {
            json_t *item_errors = json_object();
            size_t i;
            json_t *item, *loaded;
            json_array_foreach(f, i, item) {
                json_t *e = tag_object_load(req, item, &loaded);
                if (e) json_object_set_new(item_errors, arena_sprintf(req->arena, "%zu", i), e);
            }
            if (json_object_size(item_errors)) json_object_set_new(errors, key, item_errors);
            else json_decref(item_errors);
        }
    }
    if (json_object_size(errors)) return errors;
    json_decref(errors);
    return NULL;
}
