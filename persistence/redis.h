/* Asynchronous Redis client on hiredis's libev adapter, for code running on
 * fibers: a command is queued on the shared connection and the fiber yields
 * until its reply arrives. The connection opens lazily, authenticates and
 * selects its database, and is reopened on the next command after the server
 * closed it (restart, timeout). hiredis 0.14 (Debian) has no TLS: a config
 * asking for ssl fails with a clear error instead of talking plain text.
 *
 * Ownership: the client owns its hiredis context. Replies are deep-copied
 * onto the caller's arena. */
#ifndef LITESET_REDIS_H
#define LITESET_REDIS_H

#include <ev.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "lib/arena.h"

typedef enum {
    REDIS_R_STRING = 1, REDIS_R_ARRAY = 2, REDIS_R_INTEGER = 3,
    REDIS_R_NIL = 4, REDIS_R_STATUS = 5, REDIS_R_ERROR = 6,
} redis_reply_type_t;

typedef struct redis_reply {
    redis_reply_type_t type;
    int64_t integer;
    const char *str; /* STRING, STATUS, ERROR: NUL-terminated, len bytes */
    size_t len;
    size_t elements; /* ARRAY */
    struct redis_reply **element;
} redis_reply_t;

typedef enum {
    REDIS_OK_ = 0,
    REDIS_E_CONNECT,   /* could not connect / connection lost */
    REDIS_E_TIMEOUT,
    REDIS_E_CANCELLED,
    REDIS_E_CONFIG,    /* unsupported settings (e.g. TLS) */
} redis_status_t;

typedef struct redis_error {
    redis_status_t status;
    const char *message; /* static or on the caller's arena */
} redis_error_t;

typedef struct redis_client redis_client_t;

/* cfg is copied. timeout: per command, seconds (<= 0: 30). */
redis_client_t *redis_client_new(struct ev_loop *loop, const config_redis_t *cfg, double timeout);
void redis_client_free(redis_client_t *c);

/* Runs one command given as an argument vector (binary safe). A Redis error
 * reply is a successful call returning a REDIS_R_ERROR reply. NULL on
 * transport failure, err filled. */
redis_reply_t *redis_command_argv(redis_client_t *c, arena_t *a, redis_error_t *err, int argc,
                                  const char **argv, const size_t *argvlen);
/* Convenience for NUL-terminated arguments. */
redis_reply_t *redis_command(redis_client_t *c, arena_t *a, redis_error_t *err, int argc, const char **argv);

#endif
