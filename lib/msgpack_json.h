/* MessagePack <-> jansson for server-side sessions, matching what msgspec
 * (Flask-Session's serializer) writes and reads for a session dict.
 *
 * The jansson side is Flask's *tagged* form, as everywhere else a session is
 * held in Liteset (lib/session_codec.h):
 *
 *   jansson (tagged form)          msgpack
 *   object                         map (keys: str only)
 *   string / integer / real        str / int (smallest form) / float 64
 *   true, false, null              true, false, nil
 *   array                          array
 *   {" t": [...]}  (tuple)         array              (decodes back as array)
 *   {" b": "<base64, padded>"}     bin                (decodes back as " b")
 *   {" di": {"<k>__": v}}          map {k: v}         (a decoded one-key map
 *                                                      whose key is a tag key
 *                                                      is wrapped again)
 *   {" m": "<html>"} (Markup)      str                (decodes as plain string)
 *   {" u": "<32 hex>"} (UUID)      str, canonical 8-4-4-4-12 form (msgspec's
 *                                  UUID encoding; decodes as plain string)
 *   {" d": ...} (datetime)         refused: msgspec would write a timestamp
 *                                  extension; Superset never stores one
 *
 * Decoding refuses: non-string map keys, keys containing NUL, invalid UTF-8,
 * extension types (timestamps included), integers above INT64_MAX, NaN and
 * infinities (jansson cannot hold them), trailing bytes, nesting deeper than
 * MSGPACK_JSON_MAX_DEPTH, and container headers that announce more elements
 * than bytes remain (checked before msgpack-c allocates for them). Encoding
 * refuses the same depth limit, so whatever is written can be read back. */
#ifndef LITESET_MSGPACK_JSON_H
#define LITESET_MSGPACK_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "lib/arena.h"

/* msgpack-c's unpacker cannot nest deeper than its fixed stack (32). */
#define MSGPACK_JSON_MAX_DEPTH 32

/* Encodes v (tagged form). The bytes belong to the arena. Returns false (and
 * a static reason in *err, may be NULL) for a value that cannot be written. */
bool msgpack_json_encode(arena_t *a, const json_t *v, const char **out, size_t *out_len, const char **err);

/* Decodes exactly one value filling all len bytes. New reference, or NULL
 * with a static reason in *err (may be NULL). */
json_t *msgpack_json_decode(const void *data, size_t len, const char **err);

#endif
