/* FastCGI responder: connections, record dispatch, request fibers; see server.h.
 *
 * Life of a request: BEGIN_REQUEST creates it, PARAMS records accumulate
 * until an empty one, STDIN records fill the body until an empty one; then a
 * fiber runs the handler. When it returns, the response is queued on the
 * connection (unless the request was aborted) and the request is freed.
 * ABORT_REQUEST or the connection closing cancels a running fiber: its
 * current wait returns FIBER_CANCELLED and the handler unwinds. */
#include "fcgi/server.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fcgi/proto.h"
#include "lib/log.h"

#define READ_CHUNK 65536
#define READ_BUDGET (1u << 20) /* bytes read per wakeup before yielding to others */

typedef enum { PH_PARAMS, PH_STDIN, PH_RUNNING } phase_t;

typedef struct conn conn_t;

/* A request plus the server's bookkeeping. req must stay first. */
typedef struct inflight {
    request_t req;
    server_t *srv;
    phase_t phase;
    strbuf_t params_raw;
    conn_t *conn;            /* the connection (a running request keeps it alive) */
    struct inflight *next;   /* in conn->reqs */
    ev_timer deadline;       /* request timeout while the handler runs */
} inflight_t;

struct conn {
    server_t *srv;
    int fd;
    ev_io rio, wio;
    strbuf_t in;
    size_t in_off;
    strbuf_t out;
    size_t out_off;
    inflight_t *reqs;
    unsigned nreqs;
    unsigned running;        /* references: request fibers, and read_cb while it runs */
    bool close_after_flush;
    bool closed;
    conn_t *prev, *next;     /* in srv->conns */
};

struct server {
    struct ev_loop *loop;
    int listen_fd;
    ev_io accept_w;
    server_opts_t opts;
    server_handler_fn handler;
    server_req_hook_fn on_begin, on_end;
    void *ud;
    conn_t *conns;
    size_t inflight;
    bool draining;
    void (*drain_done)(void *);
    void *drain_ud;
};

static void conn_close(conn_t *c);
static void conn_flush(conn_t *c);

/* ---- connection lifetime ---- */

static void conn_maybe_free(conn_t *c) {
    if (!c->closed || c->running) return;
    strbuf_free(&c->in);
    strbuf_free(&c->out);
    free(c);
}

static void check_drained(server_t *srv) {
    if (!srv->draining || srv->inflight) return;
    /* Idle keep-alive connections would otherwise hold the process open. */
    conn_t *c = srv->conns;
    while (c) {
        conn_t *n = c->next;
        if (!c->nreqs && c->out_off >= c->out.len) conn_close(c);
        c = n;
    }
    if (srv->drain_done) {
        void (*done)(void *) = srv->drain_done;
        srv->drain_done = NULL;
        done(srv->drain_ud);
    }
}

static void inflight_unlink(inflight_t *r) {
    conn_t *c = r->conn;
    for (inflight_t **pp = &c->reqs; *pp; pp = &(*pp)->next) {
        if (*pp == r) {
            *pp = r->next;
            c->nreqs--;
            break;
        }
    }
}

static void inflight_free(inflight_t *r) {
    arena_free(r->req.arena); /* the inflight itself lives in its arena */
}

static inflight_t *inflight_find(conn_t *c, uint16_t id) {
    for (inflight_t *r = c->reqs; r; r = r->next)
        if (r->req.fcgi_id == id) return r;
    return NULL;
}

static void conn_close(conn_t *c) {
    if (c->closed) return;
    c->closed = true;
    ev_io_stop(c->srv->loop, &c->rio);
    ev_io_stop(c->srv->loop, &c->wio);
    close(c->fd);
    /* Requests not yet running die now; running ones are cancelled and
     * finish on their fiber, which drops its reference to the conn. */
    inflight_t *r = c->reqs;
    while (r) {
        inflight_t *n = r->next;
        r->req.conn = NULL;
        r->req.aborted = true;
        if (r->phase == PH_RUNNING)
            fiber_cancel(r->req.fiber);
        else
            inflight_free(r);
        r = n;
    }
    c->reqs = NULL;
    c->nreqs = 0;
    server_t *srv = c->srv;
    if (c->prev) c->prev->next = c->next;
    else srv->conns = c->next;
    if (c->next) c->next->prev = c->prev;
    conn_maybe_free(c);
}

/* ---- output ---- */

static void write_cb(struct ev_loop *loop, ev_io *w, int revents) {
    (void)loop;
    (void)revents;
    conn_flush(w->data);
}

static void conn_flush(conn_t *c) {
    if (c->closed) return;
    while (c->out_off < c->out.len) {
        ssize_t n = write(c->fd, c->out.data + c->out_off, c->out.len - c->out_off);
        if (n > 0) {
            c->out_off += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (!ev_is_active(&c->wio)) ev_io_start(c->srv->loop, &c->wio);
            return;
        }
        conn_close(c); /* peer gone */
        return;
    }
    strbuf_clear(&c->out);
    c->out_off = 0;
    if (ev_is_active(&c->wio)) ev_io_stop(c->srv->loop, &c->wio);
    if (c->close_after_flush && !c->nreqs) {
        conn_close(c);
        return;
    }
    if (c->srv->draining && !c->nreqs) conn_close(c);
}

static void end_request(conn_t *c, uint16_t id, uint8_t proto_status) {
    fcgi_write_end_request(&c->out, id, 0, proto_status);
}

/* ---- response rendering ---- */

static void put_header_value(strbuf_t *out, const char *v, size_t n) {
    for (size_t i = 0; i < n; i++) /* no header injection, whatever a handler set */
        if (v[i] != '\r' && v[i] != '\n') strbuf_putc(out, v[i]);
}

void server_render_response(const request_t *req, strbuf_t *out) {
    int status = req->status ? req->status : 200;
    strbuf_printf(out, "Status: %d %s\r\n", status, http_reason_upper(status));
    bool have_len = false;
    for (const kv_t *h = req->resp_headers; h; h = h->next) {
        if (!strcasecmp(h->name, "Content-Length")) have_len = true;
        strbuf_puts(out, h->name);
        strbuf_append(out, ": ", 2);
        put_header_value(out, h->value, h->value_len);
        strbuf_append(out, "\r\n", 2);
    }
    if (!have_len && status != 204 && status != 304)
        strbuf_printf(out, "Content-Length: %zu\r\n", req->resp_body.len);
    strbuf_append(out, "\r\n", 2);
    if (strcmp(req->method ? req->method : "", "HEAD") != 0)
        strbuf_append(out, req->resp_body.data, req->resp_body.len);
}

/* ---- request fiber ---- */

static void deadline_cb(struct ev_loop *loop, ev_timer *t, int revents) {
    (void)loop;
    (void)revents;
    inflight_t *r = t->data;
    r->req.timed_out = true;
    fiber_cancel(r->req.fiber); /* the handler unwinds; the app answers 504 */
}

static void request_fiber(void *arg) {
    inflight_t *r = arg;
    server_t *srv = r->srv;
    request_t *req = &r->req;
    if (srv->opts.request_timeout > 0) {
        ev_timer_init(&r->deadline, deadline_cb, srv->opts.request_timeout, 0);
        r->deadline.data = r;
        ev_timer_start(srv->loop, &r->deadline);
    }
    if (srv->on_begin) srv->on_begin(req, srv->ud);
    srv->handler(req, srv->ud);
    ev_timer_stop(srv->loop, &r->deadline);

    conn_t *c = r->conn; /* still allocated: this fiber holds a reference */
    if (!c->closed) {
        if (!req->aborted) {
            strbuf_t resp;
            strbuf_init_arena(&resp, req->arena, 512 + req->resp_body.len);
            server_render_response(req, &resp);
            fcgi_write_stream(&c->out, FCGI_STDOUT, req->fcgi_id, resp.data, resp.len);
            fcgi_write_record(&c->out, FCGI_STDOUT, req->fcgi_id, NULL, 0);
        }
        end_request(c, req->fcgi_id, FCGI_REQUEST_COMPLETE);
        inflight_unlink(r);
        if (!req->keep_conn) c->close_after_flush = true;
        conn_flush(c);
    }
    if (srv->on_end) srv->on_end(req, srv->ud);
    srv->inflight--;
    c->running--;
    conn_maybe_free(c);
    inflight_free(r);
    check_drained(srv);
}

/* ---- record handling ---- */

static bool add_param(void *ud, const char *name, size_t nlen, const char *val, size_t vlen) {
    inflight_t *r = ud;
    arena_t *a = r->req.arena;
    kv_t *kv = arena_alloc(a, sizeof *kv);
    kv->name = arena_strndup(a, name, nlen);
    kv->value = arena_strndup(a, val, vlen);
    kv->value_len = vlen;
    kv->next = r->req.params;
    r->req.params = kv;
    return true;
}

static const char *param_or(request_t *req, const char *name, const char *def) {
    const char *v = req_param(req, name);
    return v ? v : def;
}

/* The decoded path: PATH_INFO (nginx: $uri, already decoded and normalised),
 * else the path part of REQUEST_URI, %-decoded. */
static const char *request_path(request_t *req) {
    const char *p = req_param(req, "PATH_INFO");
    if (p && *p) return p;
    const char *uri = param_or(req, "REQUEST_URI", "/");
    const char *q = strchr(uri, '?');
    size_t n = q ? (size_t)(q - uri) : strlen(uri);
    return url_decode(req->arena, uri, n, false);
}

static bool params_complete(inflight_t *r) {
    request_t *req = &r->req;
    if (!r->req.params_too_large &&
        !fcgi_nv_parse((const uint8_t *)r->params_raw.data, r->params_raw.len, add_param, r))
        return false;
    req->method = param_or(req, "REQUEST_METHOD", "GET");
    req->path = request_path(req);
    req->query = param_or(req, "QUERY_STRING", "");
    const char *https = req_param(req, "HTTPS");
    req->scheme = https && (!strcasecmp(https, "on") || !strcmp(https, "1")) ? "https" : "http";
    req->host = req_header(req, "Host");
    if (!req->host) req->host = param_or(req, "SERVER_NAME", "localhost");
    req->remote_addr = param_or(req, "REMOTE_ADDR", "");
    req->script_root = "";
    const char *cl = req_param(req, "CONTENT_LENGTH");
    req->content_length = cl ? strtoull(cl, NULL, 10) : 0;
    if (req->content_length > r->conn->srv->opts.max_body) req->body_too_large = true;
    r->phase = PH_STDIN;
    return true;
}

static void start_request(inflight_t *r) {
    server_t *srv = r->conn->srv;
    r->phase = PH_RUNNING;
    r->req.started_at = ev_now(srv->loop);
    r->conn->running++;
    srv->inflight++;
    r->req.fiber = fiber_spawn(request_fiber, r, NULL, NULL);
    fiber_set_data(r->req.fiber, &r->req);
}

static void begin_request(conn_t *c, const fcgi_record_t *rec) {
    if (rec->content_len < sizeof(FCGI_BeginRequestBody)) return;
    const FCGI_BeginRequestBody *b = (const FCGI_BeginRequestBody *)rec->content;
    int role = (b->roleB1 << 8) | b->roleB0;
    if (role != FCGI_RESPONDER) {
        end_request(c, rec->request_id, FCGI_UNKNOWN_ROLE);
        return;
    }
    if (inflight_find(c, rec->request_id)) return; /* duplicate id: ignore per spec */
    if (c->nreqs >= c->srv->opts.max_reqs_per_conn || c->srv->draining) {
        end_request(c, rec->request_id, c->srv->draining ? FCGI_OVERLOADED : FCGI_CANT_MPX_CONN);
        return;
    }
    arena_t *a = arena_new(16384);
    inflight_t *r = arena_calloc(a, 1, sizeof *r);
    r->req.arena = a;
    r->req.fcgi_id = rec->request_id;
    r->req.keep_conn = (b->flags & FCGI_KEEP_CONN) != 0;
    r->req.conn = (struct fcgi_conn *)c;
    r->conn = c;
    r->srv = c->srv;
    r->phase = PH_PARAMS;
    strbuf_init_arena(&r->params_raw, a, 2048);
    strbuf_init_arena(&r->req.body, a, 256);
    strbuf_init_arena(&r->req.resp_body, a, 1024);
    r->next = c->reqs;
    c->reqs = r;
    c->nreqs++;
}

static void get_values(conn_t *c, const fcgi_record_t *rec) {
    static const struct { const char *name; const char *value; } known[] = {
        {FCGI_MAX_CONNS, "1024"},
        {FCGI_MAX_REQS, "65535"},
        {FCGI_MPXS_CONNS, "1"},
    };
    strbuf_t body;
    strbuf_init(&body, 128);
    /* Answer only the variables asked for, in the order asked. */
    const uint8_t *p = rec->content, *end = rec->content + rec->content_len;
    while (p < end) {
        size_t nlen = *p & 0x80 ? 0 : *p; /* names we know are short */
        if (*p & 0x80 || end - p < 2) break;
        size_t vlen = p[1] & 0x80 ? 0 : p[1];
        if (p[1] & 0x80 || (size_t)(end - p - 2) < nlen + vlen) break;
        const char *name = (const char *)p + 2;
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
            if (strlen(known[i].name) == nlen && !memcmp(known[i].name, name, nlen))
                fcgi_nv_append(&body, name, nlen, known[i].value, strlen(known[i].value));
        p += 2 + nlen + vlen;
    }
    fcgi_write_record(&c->out, FCGI_GET_VALUES_RESULT, FCGI_NULL_REQUEST_ID, body.data, body.len);
    strbuf_free(&body);
}

static void abort_request(conn_t *c, inflight_t *r) {
    r->req.aborted = true;
    if (r->phase == PH_RUNNING) {
        fiber_cancel(r->req.fiber); /* END_REQUEST is sent when the fiber unwinds */
        return;
    }
    end_request(c, r->req.fcgi_id, FCGI_REQUEST_COMPLETE);
    inflight_unlink(r);
    inflight_free(r);
}

/* Returns false when the connection must be closed (protocol violation). */
static bool handle_record(conn_t *c, const fcgi_record_t *rec) {
    server_t *srv = c->srv;
    if (rec->request_id == FCGI_NULL_REQUEST_ID) {
        if (rec->type == FCGI_GET_VALUES) get_values(c, rec);
        else fcgi_write_unknown_type(&c->out, rec->type);
        return true;
    }
    if (rec->type == FCGI_BEGIN_REQUEST) {
        begin_request(c, rec);
        return true;
    }
    if (rec->type < FCGI_BEGIN_REQUEST || rec->type > FCGI_MAXTYPE) return false;
    inflight_t *r = inflight_find(c, rec->request_id);
    if (!r) return true; /* records of unknown/finished requests are ignored */
    switch (rec->type) {
    case FCGI_ABORT_REQUEST:
        abort_request(c, r);
        return true;
    case FCGI_PARAMS:
        if (r->phase != PH_PARAMS) return true;
        if (rec->content_len == 0) {
            if (!params_complete(r)) return false;
            return true;
        }
        if (r->params_raw.len + rec->content_len > srv->opts.max_params) r->req.params_too_large = true;
        if (!r->req.params_too_large) strbuf_append(&r->params_raw, rec->content, rec->content_len);
        return true;
    case FCGI_STDIN:
        if (r->phase != PH_STDIN) return true;
        if (rec->content_len == 0) {
            start_request(r);
            return true;
        }
        if (r->req.body.len + rec->content_len > srv->opts.max_body) r->req.body_too_large = true;
        if (!r->req.body_too_large) strbuf_append(&r->req.body, rec->content, rec->content_len);
        return true;
    case FCGI_DATA:
        return true; /* only for the filter role */
    default:
        return false; /* END_REQUEST, STDOUT... are never sent to an application */
    }
}

static void process_input(conn_t *c) {
    while (!c->closed) {
        fcgi_record_t rec;
        ssize_t n = fcgi_record_parse((const uint8_t *)c->in.data + c->in_off, c->in.len - c->in_off, &rec);
        if (n == FCGI_PARSE_NEED_MORE) break;
        if (n == FCGI_PARSE_ERROR || !handle_record(c, &rec)) {
            log_warn("fastcgi protocol error on fd %d: closing the connection", c->fd);
            conn_close(c);
            return;
        }
        c->in_off += (size_t)n;
    }
    if (c->in_off == c->in.len) {
        strbuf_clear(&c->in);
        c->in_off = 0;
    } else if (c->in_off > c->in.len / 2) {
        strbuf_consume(&c->in, c->in_off);
        c->in_off = 0;
    }
}

static void read_cb(struct ev_loop *loop, ev_io *w, int revents) {
    (void)loop;
    (void)revents;
    conn_t *c = w->data;
    size_t budget = READ_BUDGET;
    c->running++; /* holds c alive while records are processed */
    while (budget && !c->closed) {
        strbuf_reserve(&c->in, READ_CHUNK);
        ssize_t n = read(c->fd, c->in.data + c->in.len, READ_CHUNK);
        if (n > 0) {
            c->in.len += (size_t)n;
            c->in.data[c->in.len] = '\0';
            budget = budget > (size_t)n ? budget - (size_t)n : 0;
            process_input(c);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        conn_close(c); /* EOF or error: the web server went away */
        break;
    }
    if (!c->closed && c->out.len > c->out_off) conn_flush(c);
    c->running--;
    conn_maybe_free(c);
}

static void accept_cb(struct ev_loop *loop, ev_io *w, int revents) {
    (void)revents;
    server_t *srv = w->data;
    for (int i = 0; i < 64; i++) {
        int fd = accept4(srv->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                log_warn("accept failed: %s", strerror(errno));
            return;
        }
        conn_t *c = xcalloc(1, sizeof *c);
        c->srv = srv;
        c->fd = fd;
        strbuf_init(&c->in, READ_CHUNK + 1);
        strbuf_init(&c->out, 4096);
        ev_io_init(&c->rio, read_cb, fd, EV_READ);
        ev_io_init(&c->wio, write_cb, fd, EV_WRITE);
        c->rio.data = c->wio.data = c;
        c->next = srv->conns;
        if (srv->conns) srv->conns->prev = c;
        srv->conns = c;
        ev_io_start(loop, &c->rio);
    }
}

server_t *server_new(struct ev_loop *loop, int listen_fd, const server_opts_t *opts,
                     server_handler_fn handler, server_req_hook_fn on_begin,
                     server_req_hook_fn on_end, void *ud) {
    server_t *srv = xcalloc(1, sizeof *srv);
    srv->loop = loop;
    srv->listen_fd = listen_fd;
    srv->opts = *opts;
    if (!srv->opts.max_params) srv->opts.max_params = 1 << 20;
    if (!srv->opts.max_reqs_per_conn) srv->opts.max_reqs_per_conn = 256;
    srv->handler = handler;
    srv->on_begin = on_begin;
    srv->on_end = on_end;
    srv->ud = ud;
    int fl = fcntl(listen_fd, F_GETFL);
    if (fl >= 0) fcntl(listen_fd, F_SETFL, fl | O_NONBLOCK);
    ev_io_init(&srv->accept_w, accept_cb, listen_fd, EV_READ);
    srv->accept_w.data = srv;
    ev_io_start(loop, &srv->accept_w);
    return srv;
}

void server_set_limits(server_t *srv, size_t max_body, double request_timeout) {
    srv->opts.max_body = max_body;
    srv->opts.request_timeout = request_timeout;
}

void server_drain(server_t *srv, void (*done)(void *), void *ud) {
    srv->draining = true;
    srv->drain_done = done;
    srv->drain_ud = ud;
    ev_io_stop(srv->loop, &srv->accept_w);
    check_drained(srv);
}

size_t server_inflight(const server_t *srv) { return srv->inflight; }

void server_free(server_t *srv) {
    while (srv->conns) conn_close(srv->conns);
    ev_io_stop(srv->loop, &srv->accept_w);
    free(srv);
}
