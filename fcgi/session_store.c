/* Server-side session storage in Redis; see session_store.h.
 *
 * Ownership: the client made for LITESET_SESSION_REDIS_URL belongs to this
 * module and lives as long as the process, like the app's own clients; as
 * for them, a URL changed by a reload takes effect at the next restart (a
 * warning says so). Replies and encoded values live on the request arena. */
#include "fcgi/session_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fcgi/app.h"
#include "lib/fiber.h"
#include "lib/log.h"
#include "lib/msgpack_json.h"
#include "persistence/redis.h"

#define CLIENT_TIMEOUT 30.0

static redis_client_t *g_client; /* for LITESET_SESSION_REDIS_URL, made on first use */
static char *g_client_url;
static bool g_url_change_logged;
static const char *g_logged_error;

static const char *check_settings(const config_t *cfg) {
    if (strcasecmp(config_str(cfg, "SESSION_TYPE", "null"), "redis"))
        return "SESSION_SERVER_SIDE needs SESSION_TYPE = 'redis' (the only Flask-Session backend available)";
    if (config_bool(cfg, "SESSION_USE_SIGNER", false))
        return "SESSION_USE_SIGNER = True is not supported with server-side sessions";
    if (strcmp(config_str(cfg, "SESSION_SERIALIZATION_FORMAT", "msgpack"), "msgpack"))
        return "SESSION_SERIALIZATION_FORMAT must be 'msgpack' with server-side sessions";
    if (config_int(cfg, "SESSION_ID_LENGTH", 32) < 1) return "SESSION_ID_LENGTH must be at least 1";
    const char *url = config_str(cfg, "LITESET_SESSION_REDIS_URL", NULL);
    if (url && *url) {
        config_redis_t r;
        char *err = NULL;
        if (!config_redis_from_url(url, &r, &err)) {
            free(err);
            return "LITESET_SESSION_REDIS_URL is not a valid Redis URL";
        }
        config_redis_clear(&r);
    }
    return NULL;
}

const char *session_store_config_error(const config_t *cfg) {
    const char *why = check_settings(cfg);
    if (why && why != g_logged_error) {
        log_error("server-side sessions unusable: %s", why);
        g_logged_error = why;
    }
    return why;
}

static redis_client_t *client(request_t *req) {
    const char *url = config_str(req->cfg, "LITESET_SESSION_REDIS_URL", NULL);
    if (!url || !*url) return app_redis(req->app);
    if (!g_client) {
        config_redis_t r;
        char *err = NULL;
        if (!config_redis_from_url(url, &r, &err)) { /* checked by session_store_config_error */
            log_error("LITESET_SESSION_REDIS_URL: %s", err ? err : "invalid");
            free(err);
            return NULL;
        }
        g_client = redis_client_new(fiber_loop(), &r, CLIENT_TIMEOUT);
        g_client_url = xstrdup(url);
        config_redis_clear(&r);
    } else if (strcmp(url, g_client_url) && !g_url_change_logged) {
        log_warn("LITESET_SESSION_REDIS_URL changed: restart the pool to use the new server");
        g_url_change_logged = true;
    }
    return g_client;
}

static const char *store_key(request_t *req, const char *id) {
    return arena_sprintf(req->arena, "%s%s", config_str(req->cfg, "SESSION_KEY_PREFIX", "session:"), id);
}

/* Runs one command; NULL (logged) on a transport failure or an error reply. */
static redis_reply_t *run(request_t *req, const char *what, int argc, const char **argv, const size_t *lens) {
    redis_client_t *c = client(req);
    if (!c) return NULL;
    redis_error_t err = {0};
    redis_reply_t *r = redis_command_argv(c, req->arena, &err, argc, argv, lens);
    if (!r) {
        log_error("session %s failed: %s", what, err.message ? err.message : "redis unavailable");
        return NULL;
    }
    if (r->type == REDIS_R_ERROR) {
        log_error("session %s failed: %s", what, r->str ? r->str : "redis error");
        return NULL;
    }
    return r;
}

session_store_status_t session_store_load(request_t *req, const char *id, json_t **out) {
    const char *argv[] = {"GET", store_key(req, id)};
    redis_reply_t *r = run(req, "GET", 2, argv, NULL);
    if (!r) return SESSION_STORE_ERROR;
    if (r->type != REDIS_R_STRING || r->len == 0) return SESSION_STORE_MISSING;
    const char *why = NULL;
    json_t *dict = msgpack_json_decode(r->str, r->len, &why);
    if (dict && !json_is_object(dict)) why = "not a map";
    if (why) {
        log_warn("stored session unreadable (%s): starting a new session", why); /* ids are secrets: not logged */
        json_decref(dict);
        return SESSION_STORE_MISSING;
    }
    *out = dict;
    return SESSION_STORE_FOUND;
}

bool session_store_save(request_t *req, const char *id, const json_t *dict, bool permanent) {
    json_t *stored = json_object();
    if (permanent) json_object_set_new(stored, "_permanent", json_true());
    json_object_update(stored, (json_t *)dict);
    const char *bytes, *why = NULL;
    size_t len;
    bool ok = msgpack_json_encode(req->arena, stored, &bytes, &len, &why);
    json_decref(stored);
    if (!ok) {
        log_error("session not saved: %s", why);
        return false;
    }
    long long ttl = (long long)config_real(req->cfg, "PERMANENT_SESSION_LIFETIME", 2678400);
    const char *argv[] = {"SET", store_key(req, id), bytes, "EX", arena_sprintf(req->arena, "%lld", ttl)};
    size_t lens[] = {3, strlen(argv[1]), len, 2, strlen(argv[4])};
    return run(req, "SET", 5, argv, lens) != NULL;
}

bool session_store_delete(request_t *req, const char *id) {
    const char *argv[] = {"DEL", store_key(req, id)};
    return run(req, "DEL", 2, argv, NULL) != NULL;
}
