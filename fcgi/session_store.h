/* Redis storage of server-side sessions (SESSION_SERVER_SIDE = True), as
 * Flask-Session 0.8.0's RedisSessionInterface keeps them: key
 * SESSION_KEY_PREFIX + id ("session:<id>"), value = msgpack of the session
 * dict (lib/msgpack_json.h), written with SET ... EX <lifetime in whole
 * seconds>, removed with DEL.
 *
 * Settings. SESSION_TYPE must be "redis" (any case): Flask-Session's other
 * backends are not available, and an unusable setting is an error (logged,
 * and the request answers 500) rather than a silent fall back to cookie
 * sessions, which would hand out different cookies than the deployment
 * expects. For the same reason SESSION_USE_SIGNER = True (deprecated in
 * Flask-Session) and SESSION_SERIALIZATION_FORMAT other than "msgpack" are
 * refused. SESSION_REDIS is a Python object that the literal settings reader
 * cannot evaluate, so the server is chosen this way instead: the Redis URL in
 * LITESET_SESSION_REDIS_URL (Liteset setting; redis://, rediss://, unix://)
 * when set, else the process's own Redis client (CACHE_CONFIG, then
 * GLOBAL_ASYNC_QUERIES_REDIS_CONFIG, see config/config.h).
 *
 * Every call runs on the request's fiber: Redis commands yield. */
#ifndef LITESET_FCGI_SESSION_STORE_H
#define LITESET_FCGI_SESSION_STORE_H

#include <jansson.h>
#include <stdbool.h>

#include "config/config.h"
#include "fcgi/request.h"

/* NULL when the server-side session settings can be used, else the reason
 * (static string). The first time a given reason comes up it is logged. */
const char *session_store_config_error(const config_t *cfg);

typedef enum {
    SESSION_STORE_FOUND,
    SESSION_STORE_MISSING, /* no such key, an empty value, or a value that is
                            * not a msgpack map (logged): a fresh session */
    SESSION_STORE_ERROR,   /* Redis unreachable or answering an error (logged) */
} session_store_status_t;

/* Reads the session stored under id. FOUND: *out is a new reference to the
 * dict in tagged form (lib/session_codec.h), `_permanent` included. */
session_store_status_t session_store_load(request_t *req, const char *id, json_t **out);

/* SET key <msgpack of dict> EX <PERMANENT_SESSION_LIFETIME>. When permanent,
 * `_permanent: true` is written as the first key, where Flask-Session has it.
 * false on failure (logged). */
bool session_store_save(request_t *req, const char *id, const json_t *dict, bool permanent);

/* DEL key. false on failure (logged). */
bool session_store_delete(request_t *req, const char *id);

#endif
