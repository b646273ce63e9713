/* JSON Web Tokens as flask-jwt-extended / PyJWT produce and check them.
 * Only HMAC algorithms (HS256/HS384/HS512) are supported; others are
 * refused with PyJWT's message. */
#ifndef LITESET_JWT_H
#define LITESET_JWT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"

/* Header {"alg":...,"typ":"JWT"} (sorted, compact) + payload_json given as
 * text (claim order is the caller's) → token on the arena. */
char *jwt_encode(arena_t *a, const char *alg, const void *key, size_t key_len, const char *payload_json);

typedef enum {
    JWT_OK = 0,
    JWT_EXPIRED,   /* flask-jwt-extended answers 401 "Token has expired" */
    JWT_INVALID,   /* 422 with PyJWT's message */
} jwt_status_t;

typedef struct jwt_verify_opts {
    const char *alg;          /* the one allowed algorithm, e.g. "HS256" */
    const void *key;
    size_t key_len;
    int64_t now;
    const char *audience;     /* NULL: a token carrying "aud" is rejected */
    bool require_exp;         /* PyJWT options used by the callers */
    /* Decode as flask-jwt-extended 4.7 does (bearer tokens): it first decodes
     * without verification, so payload-JSON errors and a non-string "kid"
     * header are reported before the signature is checked, and it verifies
     * "aud" only when an audience is configured (audience NULL: any "aud"
     * is accepted). Plain PyJWT (guest tokens, async-token cookie): false. */
    bool flask_jwt_extended;
} jwt_verify_opts_t;

/* Verifies signature and registered claims (iat numeric and not in the
 * future, nbf, exp, aud, sub/jti must be strings) like PyJWT 2.10.1, in its
 * order and with its messages, e.g. "Not enough segments", "Invalid header
 * padding", "The specified alg value is not allowed", "Signature
 * verification failed", "Invalid payload string: must be a json object",
 * "The token is not yet valid (iat)", "Signature has expired" (JWT_EXPIRED),
 * "Invalid audience", "Audience doesn't match", "Invalid claim format in
 * token", `Token is missing the "aud" claim`, "Subject must be a string".
 * Leeway is 0; time claims may be integers, floats (truncated like int()),
 * booleans or integer strings. Base64 is decoded with Python's lenient rules.
 * On JWT_OK *claims is a new object (caller owns). On failure *msg is PyJWT's
 * text (static or arena). */
jwt_status_t jwt_decode(arena_t *a, const char *token, const jwt_verify_opts_t *opts, json_t **claims,
                        const char **msg);

#endif
