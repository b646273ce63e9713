/* Reads a Python configuration file as data: top-level `NAME = <literal>`
 * assignments become keys of a JSON object. Literals: str (all quote forms,
 * r/u prefixes, implicit concatenation), int/float (incl. hex/octal/binary,
 * underscores), True/False/None, lists, tuples, dicts, and
 * timedelta(...)/datetime.timedelta(...) with keyword or positional args
 * (-> seconds as a real). Anything else (imports, function calls, names,
 * f-strings, compound statements) is skipped; each skipped assignment's key is
 * reported through the warn callback. Never executes anything. */
#ifndef LITESET_PYLITERAL_H
#define LITESET_PYLITERAL_H

#include <jansson.h>
#include <stddef.h>

typedef void (*pyliteral_warn_fn)(void *ud, const char *key, const char *why);

/* Parses src (len bytes, need not be NUL-terminated). Returns a new JSON object
 * (caller owns; later assignments override earlier ones) or NULL with *err set
 * (static string) when the input is not valid UTF-8 text or too large/deep.
 * A malformed statement is skipped with a warning; it does not fail the file. */
json_t *pyliteral_parse_file(const char *src, size_t len, pyliteral_warn_fn warn, void *ud,
                             const char **err);

/* Parses a single literal expression (used for SUPERSET_* environment values).
 * Returns NULL when s is not a literal. */
json_t *pyliteral_parse_value(const char *s, size_t len);

#endif
