/* Thin helpers on jansson: serialization that reproduces Python's json.dumps
 * bytes, parsing with a readable error, and typed getters with defaults.
 *
 * Serialization flags are jansson's (JSON_COMPACT, JSON_ENSURE_ASCII,
 * JSON_SORT_KEYS, JSON_INDENT(n), ...). Facts verified on jansson 2.14:
 * - without JSON_COMPACT (and without indent) it writes ", " and ": ", which
 *   is Python's default json.dumps(obj); JSON_INDENT(0) is the same as no
 *   indent; JSON_COMPACT writes "," and ":" (separators=(",", ":"));
 * - object keys always keep insertion order (JSON_PRESERVE_ORDER is a no-op
 *   since 2.8); JSON_SORT_KEYS sorts by UTF-8 bytes = Python's code-point sort.
 * Where jansson's bytes differ from Python's, the output is rewritten to
 * Python's: \uXXXX escapes in lower case ("\u00e9", not "\u00E9"), DEL
 * escaped as \u007f under JSON_ENSURE_ASCII, and reals in Python repr
 * ("0.1", "1e+16") instead of jansson's 17-digit form. Every value is
 * accepted at top level (JSON_ENCODE_ANY is always added). */
#ifndef LITESET_JSON_H
#define LITESET_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "lib/arena.h"
#include "lib/strbuf.h"

/* Python json.dumps(obj) (ensure_ascii=True, separators ", " / ": "). */
#define JSON_PY_DEFAULT (JSON_ENSURE_ASCII)
/* Python json.dumps(obj, separators=(",", ":")): JWT payloads, CSRF tokens. */
#define JSON_PY_COMPACT (JSON_COMPACT | JSON_ENSURE_ASCII)
/* Flask's session serializer: compact, ASCII, keys sorted. */
#define JSON_PY_SESSION (JSON_COMPACT | JSON_ENSURE_ASCII | JSON_SORT_KEYS)

/* Appends the serialization of j to sb. Returns 0, or -1 if jansson refuses
 * (sb is then unchanged). */
int json_dump_sb(strbuf_t *sb, const json_t *j, size_t flags);

/* Serializes j into a NUL-terminated arena string; *len (may be NULL) gets
 * its length. Returns NULL if jansson refuses. */
char *json_dump_arena(arena_t *a, const json_t *j, size_t flags, size_t *len);

/* Parses n bytes (JSON_DECODE_ANY etc. in flags). Returns a new reference
 * (caller decrefs) or NULL; on error, if err is non-NULL, writes a message like
 * "line 1 column 8: string or '}' expected near '}'" into err (errlen bytes). */
json_t *json_parse(const char *s, size_t n, size_t flags, char *err, size_t errlen);

/* Same, but the result is released when the arena is freed/reset, and the
 * error message (if err is non-NULL) is an arena string. */
json_t *json_parse_arena(arena_t *a, const char *s, size_t n, size_t flags, const char **err);

/* Ties one reference of j to the arena (json_decref at free/reset). Returns j. */
json_t *json_arena_own(arena_t *a, json_t *j);

/* Typed member access: def when obj is not an object, the key is missing or
 * the member has another type. A returned string is borrowed from obj. */
const char *json_get_str(const json_t *obj, const char *key, const char *def);
json_int_t json_get_int(const json_t *obj, const char *key, json_int_t def);
bool json_get_bool(const json_t *obj, const char *key, bool def);

#endif
