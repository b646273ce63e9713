/* Fiber-friendly async Redis client on hiredis + libev; see redis.h. */
#include "persistence/redis.h"

#include <hiredis/adapters/libev.h>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fiber.h"
#include "lib/log.h"

#define REPLY_MAX_DEPTH 16

struct redis_client {
    struct ev_loop *loop;
    config_redis_t cfg;   /* strings heap-owned */
    double timeout;
    redisAsyncContext *ac; /* NULL when disconnected */
};

/* One command in flight. Heap-allocated because hiredis may call back after
 * the waiting fiber gave up (timeout, cancel): then it is `abandoned` and the
 * callback frees it. */
typedef struct op {
    fiber_t *fiber;
    arena_t *arena;
    redis_reply_t *reply;
    bool done;
    bool failed;
    bool abandoned;
} op_t;

static char *dup_or_null(const char *s) { return s ? xstrdup(s) : NULL; }

redis_client_t *redis_client_new(struct ev_loop *loop, const config_redis_t *cfg, double timeout) {
    redis_client_t *c = xcalloc(1, sizeof *c);
    c->loop = loop;
    c->cfg = *cfg;
    c->cfg.host = dup_or_null(cfg->host);
    c->cfg.unix_path = dup_or_null(cfg->unix_path);
    c->cfg.username = dup_or_null(cfg->username);
    c->cfg.password = dup_or_null(cfg->password);
    c->timeout = timeout > 0 ? timeout : 30;
    return c;
}

void redis_client_free(redis_client_t *c) {
    if (!c) return;
    if (c->ac) {
        c->ac->data = NULL;
        redisAsyncFree(c->ac); /* pending callbacks run with NULL replies */
    }
    free(c->cfg.host);
    free(c->cfg.unix_path);
    free(c->cfg.username);
    free(c->cfg.password);
    free(c);
}

static void on_connect(const redisAsyncContext *ac, int status) {
    redis_client_t *c = ac->data;
    if (status != REDIS_OK) {
        log_warn("redis connect failed: %s", ac->errstr);
        if (c) c->ac = NULL; /* hiredis frees the context after this callback */
    }
}

static void on_disconnect(const redisAsyncContext *ac, int status) {
    redis_client_t *c = ac->data;
    if (status != REDIS_OK) log_info("redis connection lost: %s", ac->errstr);
    if (c && c->ac == ac) c->ac = NULL;
}

static redis_reply_t *copy_reply(arena_t *a, const redisReply *r, int depth) {
    redis_reply_t *out = arena_calloc(a, 1, sizeof *out);
    out->type = (redis_reply_type_t)r->type;
    out->integer = r->integer;
    if (r->str) {
        out->str = arena_strndup(a, r->str, r->len);
        out->len = r->len;
    }
    if (r->type == REDIS_REPLY_ARRAY && depth < REPLY_MAX_DEPTH) {
        out->elements = r->elements;
        out->element = arena_calloc(a, r->elements ? r->elements : 1, sizeof *out->element);
        for (size_t i = 0; i < r->elements; i++) out->element[i] = copy_reply(a, r->element[i], depth + 1);
    }
    return out;
}

static void on_reply(redisAsyncContext *ac, void *reply, void *privdata) {
    (void)ac;
    op_t *op = privdata;
    if (!op) return;
    if (op->abandoned) {
        free(op);
        return;
    }
    if (reply)
        op->reply = copy_reply(op->arena, reply, 0);
    else
        op->failed = true;
    op->done = true;
    fiber_unpark(op->fiber);
}

/* Fire-and-forget commands of the handshake (AUTH, SELECT): their errors
 * surface as failures of the commands that follow. */
static void on_handshake(redisAsyncContext *ac, void *reply, void *privdata) {
    (void)ac;
    (void)privdata;
    const redisReply *r = reply;
    if (r && r->type == REDIS_REPLY_ERROR) log_error("redis handshake failed: %s", r->str);
}

static bool ensure_connected(redis_client_t *c, redis_error_t *err) {
    if (c->ac) return true;
    if (c->cfg.ssl) {
        err->status = REDIS_E_CONFIG;
        err->message = "Redis over TLS is not supported by this build (hiredis without SSL)";
        return false;
    }
    redisAsyncContext *ac = c->cfg.unix_path ? redisAsyncConnectUnix(c->cfg.unix_path)
                                             : redisAsyncConnect(c->cfg.host ? c->cfg.host : "127.0.0.1",
                                                                 c->cfg.port ? c->cfg.port : 6379);
    if (!ac || ac->err) {
        err->status = REDIS_E_CONNECT;
        err->message = "could not connect to Redis";
        if (ac) redisAsyncFree(ac);
        return false;
    }
    ac->data = c;
    redisLibevAttach(c->loop, ac);
    redisAsyncSetConnectCallback(ac, on_connect);
    redisAsyncSetDisconnectCallback(ac, on_disconnect);
    c->ac = ac;
    /* Queued before any caller's command, so they run first once connected. */
    if (c->cfg.password && *c->cfg.password) {
        if (c->cfg.username && *c->cfg.username) {
            const char *argv[] = {"AUTH", c->cfg.username, c->cfg.password};
            redisAsyncCommandArgv(ac, on_handshake, NULL, 3, argv, NULL);
        } else {
            const char *argv[] = {"AUTH", c->cfg.password};
            redisAsyncCommandArgv(ac, on_handshake, NULL, 2, argv, NULL);
        }
    }
    if (c->cfg.db) {
        char db[16];
        snprintf(db, sizeof db, "%d", c->cfg.db);
        const char *argv[] = {"SELECT", db};
        redisAsyncCommandArgv(ac, on_handshake, NULL, 2, argv, NULL);
    }
    return true;
}

redis_reply_t *redis_command_argv(redis_client_t *c, arena_t *a, redis_error_t *err, int argc,
                                  const char **argv, const size_t *argvlen) {
    redis_error_t local;
    if (!err) err = &local;
    err->status = REDIS_OK_;
    err->message = NULL;
    fiber_t *self = fiber_current();
    if (self && fiber_is_cancelled(self)) {
        err->status = REDIS_E_CANCELLED;
        err->message = "request cancelled";
        return NULL;
    }
    if (!ensure_connected(c, err)) return NULL;
    op_t *op = xcalloc(1, sizeof *op);
    op->fiber = self;
    op->arena = a;
    if (redisAsyncCommandArgv(c->ac, on_reply, op, argc, argv, argvlen) != REDIS_OK) {
        free(op);
        err->status = REDIS_E_CONNECT;
        err->message = "Redis connection is closing";
        return NULL;
    }
    double deadline = ev_time() + c->timeout;
    while (!op->done) {
        double left = deadline - ev_time();
        fiber_wake_t w = left > 0 ? fiber_park(left) : FIBER_TIMEOUT;
        if (op->done) break;
        if (w == FIBER_OK) continue; /* spurious */
        op->abandoned = true; /* the callback frees it later */
        err->status = w == FIBER_TIMEOUT ? REDIS_E_TIMEOUT : REDIS_E_CANCELLED;
        err->message = w == FIBER_TIMEOUT ? "Redis command timed out" : "request cancelled";
        return NULL;
    }
    redis_reply_t *reply = op->reply;
    bool failed = op->failed;
    free(op);
    if (failed) {
        err->status = REDIS_E_CONNECT;
        err->message = "Redis connection lost";
        return NULL;
    }
    return reply;
}

redis_reply_t *redis_command(redis_client_t *c, arena_t *a, redis_error_t *err, int argc, const char **argv) {
    return redis_command_argv(c, a, err, argc, argv, NULL);
}
