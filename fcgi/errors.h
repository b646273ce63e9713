/* Error responses in the shapes the reference uses at each place:
 * - FAB style {"message": "..."} (API classes, compact JSON);
 * - the app-level HTTPException handler: SIP-40 GENERIC_BACKEND_ERROR with
 *   "<code> <Name>: <description>" (Python json.dumps spacing), or the
 *   frontend's static 404/500 page when the client accepts text/html. */
#ifndef LITESET_FCGI_ERRORS_H
#define LITESET_FCGI_ERRORS_H

#include "fcgi/request.h"

void error_fab(request_t *req, int status, const char *message);
/* What an unmatched route, a wrong method, abort(status) produce. */
void error_http(request_t *req, int status);
/* Same with a specific description ("400 Bad Request: <description>"). */
void error_http_desc(request_t *req, int status, const char *description);
/* flask-jwt-extended error: {"msg": "..."} with Content-Type application/json. */
void error_jwt(request_t *req, int status, const char *msg);
/* werkzeug redirect (302 by default) with its HTML body. */
void resp_redirect(request_t *req, int status, const char *location);

/* Static error pages from the configured Superset static dir (NULL when not
 * available). Owned by the app; set at startup and on reload. */
typedef struct error_pages {
    char *html_404;
    size_t len_404;
    char *html_500;
    size_t len_500;
} error_pages_t;

#endif
