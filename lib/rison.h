/* Rison, as read by prison 0.2.1 (the parser behind Flask-AppBuilder's `q`
 * query argument) and as written by prison.dumps.
 *
 * rison_parse() turns a complete rison text into the jansson value that
 * Superset would see after json.loads(json.dumps(prison.loads(q))): same
 * values, same key order, same first-error-wins behaviour. Summary of the
 * grammar (no whitespace is skipped anywhere):
 *   (k:v,...)  object; `()` empty          !(v,...)  array; `!()` empty
 *   !t !f !n   true, false, null           'text'    string; `!!` -> `!`, `!'` -> `'`
 *   id         bare string: first byte not `-`, a digit or a forbidden byte;
 *              later bytes not forbidden. Allowed ASCII: letters, digits,
 *              `_ - . / ~ % +`, backslash and DEL (prison's character class
 *              lets the backslash through); every non-ASCII character.
 *   number     starts with a digit or `-`; then digits, one `.`, one `e`/`E`,
 *              and one more `-` anywhere before the exponent and one after
 *              `e`. It is a float when the token holds `.` or a lower-case
 *              `e`, otherwise an int; a token Python's float()/int() refuses
 *              (`2024-01`, `1E5`, `1e`) is a crash (fatal), `-` alone is
 *              "invalid number".
 *
 * Decisions:
 *   - object keys are any value. Python keeps them as dict keys, where 1,
 *     1.0 and !t (and 0, 0.0, -0.0, !f) are one key that keeps its first
 *     spelling and takes the last value; json.dumps then writes each key as
 *     text (a string as itself, !t/!f/!n as "true"/"false"/"null", an int
 *     as its decimal text, a float as its repr: "1.5", "1e+16",
 *     "Infinity") and json.loads merges keys that print alike (first place,
 *     last value). Both steps are reproduced. A key that is an object or
 *     array is unhashable in Python: fatal (RISON_ERR_CRASH).
 *   - an int that does not fit int64_t, or a float that overflows to
 *     infinity (1e999), is accepted by Python but cannot be held by jansson:
 *     RISON_ERR_RANGE, non-fatal, reported only if such a number ends up in
 *     the result: parsing goes on past it as in Python (a later syntax
 *     error or crash wins), a repeated key may replace it, and as an object
 *     key it is just text ("1e999" -> "Infinity").
 *   - NUL bytes and invalid UTF-8 are refused (RISON_ERR_ENCODING, non-fatal).
 *     Werkzeug replaces invalid UTF-8 with U+FFFD while decoding the query
 *     string; that belongs to the query-string decoder, not here.
 *   - nesting deeper than RISON_MAX_DEPTH containers is fatal
 *     (RISON_ERR_DEPTH), as Python's RecursionError is (it strikes at about
 *     300 nested arrays under Flask's stack).
 *   - an empty input is fatal like in prison; FAB never parses an empty or
 *     missing `q` (it uses {}), so callers must do the same.
 *
 * Ownership: rison_parse returns a new reference (caller json_decref's it);
 * rison_dump returns an arena string. */
#ifndef LITESET_RISON_H
#define LITESET_RISON_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "lib/arena.h"

/* Containers nested deeper than this are refused (fatal, see above). */
#define RISON_MAX_DEPTH 256
/* Size of rison_error_t.message, NUL included; longer texts are cut and end
 * in "...". */
#define RISON_ERROR_MAX 256

typedef enum rison_error_kind {
    RISON_ERR_NONE = 0,
    RISON_ERR_SYNTAX,   /* prison raises ParserException; message is its text */
    RISON_ERR_CRASH,    /* prison dies with another Python exception (fatal) */
    RISON_ERR_DEPTH,    /* nesting beyond RISON_MAX_DEPTH (fatal) */
    RISON_ERR_RANGE,    /* number jansson cannot hold (int64 overflow, inf) */
    RISON_ERR_ENCODING, /* NUL byte or invalid UTF-8 in the input */
} rison_error_kind_t;

typedef struct rison_error {
    rison_error_kind_t kind;
    /* true: Superset answers 500 {"message": "Fatal error"}. false: FAB
     * retries the value as JSON, then answers 400. */
    bool fatal;
    size_t offset; /* byte offset where the error was found */
    /* SYNTAX: prison's exact text ("missing ':'", "extra ','", "invalid
     * number", "unknown literal: \"!x\"", "unable to parse rison string
     * '<q>'", ...). CRASH/DEPTH: the Python exception prison dies with
     * ("ValueError: invalid literal for int() with base 10: '2024-01'").
     * Internal: clients only ever see rison_error_response's texts. */
    char message[RISON_ERROR_MAX];
} rison_error_t;

/* Parses len bytes of s (no NUL terminator needed). Returns a new reference,
 * or NULL with *err filled in (err may be NULL). On success err->kind is
 * RISON_ERR_NONE. */
json_t *rison_parse(const char *s, size_t len, rison_error_t *err);

/* Serializes v as prison.dumps does: object keys sorted by code point, ids
 * left bare, other strings quoted with `!` and `'` escaped, floats in
 * Python repr without `+` ("1e16"), !t !f !n. rison_parse of the result
 * gives back a value equal to v. (One deliberate difference: prison.dumps
 * leaves an id followed by a trailing newline bare, which does not parse
 * back; here it is quoted.) Returns NULL when v holds something rison
 * cannot carry: a string or key with a NUL byte, or nesting deeper than
 * RISON_MAX_DEPTH. */
char *rison_dump(arena_t *a, const json_t *v);

/* The response the `rison` decorator ends with after a failed parse:
 * fatal -> 500 "Fatal error"; otherwise -> 400 "Not a valid rison/json
 * argument", the answer once the JSON retry (FAB_API_ALLOW_JSON_QS, on by
 * default) has failed too. The retry itself (percent-decode the value once
 * more with `+` as space, then parse it as JSON) is the caller's job. */
void rison_error_response(const rison_error_t *e, int *status, const char **message);

#endif
