/* YAML text to JSON values, with the scalar rules of PyYAML's safe_load
 * (YAML 1.1 core schema): plain `null`/`~`/empty are null, yes/no/on/off and
 * true/false in their three spellings are booleans, decimal/hex/octal/binary
 * integers and dotted floats are numbers, quoted or !!str scalars stay
 * strings. Timestamps stay strings (JSON has no datetime). Mapping keys that
 * are not strings are written in their text form.
 *
 * Aliases are expanded; a node budget and a depth limit keep a hostile
 * document (alias bombs, deep nesting) from exhausting memory or the stack.
 * Ownership: the returned value is a new jansson reference (caller decrefs). */
#ifndef LITESET_YAML_JSON_H
#define LITESET_YAML_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Parses the first document of n bytes. NULL when the text is not valid
 * YAML or exceeds the limits; an empty document gives JSON null. */
json_t *yaml_to_json(const char *text, size_t n);

/* True when the plain (unquoted) scalar s reads back as a string under
 * PyYAML's implicit resolvers (not null, bool, int, float, timestamp, merge
 * or value), i.e. when a dumper may leave it unquoted. */
bool yaml_plain_is_string(const char *s);

/* YAML text of a JSON value as PyYAML's yaml.safe_dump(v, sort_keys=False)
 * writes it: block style, keys in order, two-space indentation with
 * sequences not indented under their key, 80-column folding, non-ASCII
 * escaped, strings quoted only when plain text would read back as another
 * type. Malloc'd, or NULL on an emitter error. */
char *json_to_yaml(const json_t *v, size_t *len);

#endif
