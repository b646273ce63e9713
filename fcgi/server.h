/* Non-blocking FastCGI responder on libev. Accepts connections on a listening
 * socket, reads records without blocking (fragmented, multiplexed), builds a
 * request per FastCGI request id, runs the handler on a fiber once stdin is
 * complete, and writes the response as FCGI_STDOUT records.
 *
 * Ownership: the server owns its connections and in-flight requests; each
 * request's arena is freed right after its response is queued. */
#ifndef LITESET_FCGI_SERVER_H
#define LITESET_FCGI_SERVER_H

#include <ev.h>
#include <stddef.h>

#include "fcgi/request.h"

typedef struct server server_t;

/* Runs on the request's fiber; fills the response. */
typedef void (*server_handler_fn)(request_t *req, void *ud);
/* Called when a request starts (to attach config etc.) and after it ended. */
typedef void (*server_req_hook_fn)(request_t *req, void *ud);

typedef struct server_opts {
    size_t max_body;          /* stdin bytes accepted per request; more -> 413 */
    size_t max_params;        /* params bytes per request; more -> 431 */
    unsigned max_reqs_per_conn;
    double request_timeout;   /* seconds a handler may run; <= 0: unlimited */
} server_opts_t;

server_t *server_new(struct ev_loop *loop, int listen_fd, const server_opts_t *opts,
                     server_handler_fn handler, server_req_hook_fn on_begin,
                     server_req_hook_fn on_end, void *ud);
void server_free(server_t *srv); /* closes everything; only after the loop stopped */
void server_set_limits(server_t *srv, size_t max_body, double request_timeout);

/* Stops accepting, closes idle connections and calls done(ud) once no request
 * is in flight (at once if none). */
void server_drain(server_t *srv, void (*done)(void *ud), void *ud);
size_t server_inflight(const server_t *srv);

/* Serialises a complete response (status line, headers, body) as the CGI
 * response carried in FCGI_STDOUT. Header values are stripped of CR/LF. */
void server_render_response(const request_t *req, strbuf_t *out);

#endif
