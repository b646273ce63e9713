/* sqlalchemy_utils EncryptedType with the default AesEngine and "naive"
 * padding, as Superset stores dbs.password, dbs.encrypted_extra,
 * dbs.server_cert and the other encrypted columns: key = SHA-256(SECRET_KEY),
 * IV = the key's first 16 bytes, plaintext padded with '*' to a multiple of 16
 * (always at least one byte), AES-256-CBC, standard padded base64. Decryption
 * strips every trailing '*' (an upstream quirk reproduced for compatibility).
 *
 * Results are NUL-terminated strings owned by the arena. */
#ifndef LITESET_ENCRYPTED_TYPE_H
#define LITESET_ENCRYPTED_TYPE_H

#include <stddef.h>

#include "lib/arena.h"

/* Encrypts n bytes of value under secret_key; the base64 text as stored. */
char *encrypted_type_encrypt(arena_t *a, const char *secret_key, const char *value, size_t n);

/* Decrypts the stored base64 text; NULL when it is not valid base64, not a
 * whole number of blocks, or does not decrypt to UTF-8 (a wrong key). */
char *encrypted_type_decrypt(arena_t *a, const char *secret_key, const char *stored);

#endif
