/* Hashids (the algorithm of the Python `hashids` package 1.x that Superset
 * uses for permalink keys): reversible short ids from unsigned integers,
 * shuffled by a salt, padded with guard characters up to a minimum length.
 * ASCII alphabets and salts only. */
#ifndef LITESET_HASHIDS_H
#define LITESET_HASHIDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"

#define HASHIDS_DEFAULT_ALPHABET "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890"
#define HASHIDS_MAX_SALT 256
#define HASHIDS_MAX_ALPHABET 128

typedef struct hashids {
    char salt[HASHIDS_MAX_SALT + 1];
    char alphabet[HASHIDS_MAX_ALPHABET + 1];
    char separators[HASHIDS_MAX_ALPHABET + 1];
    char guards[HASHIDS_MAX_ALPHABET + 1];
    size_t min_length;
} hashids_t;

/* Prepares h; alphabet NULL = the default one. False when the salt is too
 * long or the alphabet has fewer than 16 unique characters. */
bool hashids_init(hashids_t *h, const char *salt, size_t min_length, const char *alphabet);

/* The hashid of values[0..n-1] (n >= 1), allocated from a. */
char *hashids_encode(const hashids_t *h, arena_t *a, const uint64_t *values, size_t n);

/* Decodes id into out[0..cap-1]; returns how many numbers it holds, 0 when
 * id is not a hashid this h produced (re-encoding must give id back) or
 * holds more than cap numbers. */
size_t hashids_decode(const hashids_t *h, arena_t *a, const char *id, uint64_t *out, size_t cap);

#endif
