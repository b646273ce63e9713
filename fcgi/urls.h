/* URL helpers with Werkzeug / Flask-AppBuilder semantics, for views that
 * build redirects:
 *  - url_request: request.url (scheme://host + script root + path + query,
 *    the query's %XX escapes decoded except for reserved characters);
 *  - url_quote_arg: how url_for encodes a query argument value;
 *  - url_is_safe_redirect: FAB's is_safe_redirect_url (relative URLs, or
 *    http(s) to the request's host or to FAB_SAFE_REDIRECT_HOSTS patterns). */
#ifndef LITESET_FCGI_URLS_H
#define LITESET_FCGI_URLS_H

#include <stdbool.h>

#include "fcgi/request.h"
#include "lib/strbuf.h"

const char *url_request(request_t *req);
void url_quote_arg(strbuf_t *sb, const char *value);
/* Python's urllib.parse.quote_plus (urlencode): letters, digits and _.-~
 * stay, space becomes '+', everything else %XX. */
void url_quote_plus(strbuf_t *sb, const char *value);
bool url_is_safe_redirect(request_t *req, const char *url);

#endif
