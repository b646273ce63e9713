/* The middleware chain around every handler. Before: request id, proxy fix.
 * After: security headers (Talisman) and CORS, in the reference's header
 * order. Authentication and CSRF hook in between (identity layer). */
#ifndef LITESET_FCGI_MIDDLEWARE_H
#define LITESET_FCGI_MIDDLEWARE_H

#include "fcgi/request.h"

void mw_request_id(request_t *req);
void mw_proxy_fix(request_t *req);
void mw_response_headers(request_t *req);

/* The Content-Security-Policy value for a nonce, from TALISMAN_CONFIG. NULL
 * when CSP is disabled. */
char *mw_csp_header(request_t *req, const char *nonce);

#endif
