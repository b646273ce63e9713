/* Name-based (version 3, MD5) UUIDs as Python's uuid.uuid3 builds them, and
 * the "namespace from a seed" Superset derives for its key-value entries:
 * UUID(md5(seed).hexdigest()). UUIDs are 16 raw bytes; text is canonical. */
#ifndef LITESET_UUID3_H
#define LITESET_UUID3_H

#include <stddef.h>

#include "lib/arena.h"

/* out = uuid3(ns, name[0..n-1]). */
void uuid3_bytes(const unsigned char ns[16], const char *name, size_t n, unsigned char out[16]);
/* out = UUID(md5(seed).hexdigest()). */
void uuid3_namespace_from_seed(const char *seed, unsigned char out[16]);
/* Canonical 36-character text of u, from a. */
char *uuid3_text(arena_t *a, const unsigned char u[16]);

#endif
