/* Permission checks of server-rendered views (pages, legacy endpoints), with
 * Flask-AppBuilder's @has_access semantics rather than protect(): the session
 * user (or the public role) must hold the permission; otherwise the session
 * gets the flash ("danger", "Access is Denied") and the answer is 302 to
 * /login/?next=<the request's absolute URL>. Bearer tokens do not count.
 * Also Superset's redirect_to_login(), whose next= is the relative path. */
#ifndef LITESET_FCGI_HAS_ACCESS_H
#define LITESET_FCGI_HAS_ACCESS_H

#include <stdbool.h>

#include "fcgi/request.h"

/* true when allowed; else the redirect is written and false returned. */
bool has_access(request_t *req, const char *permission, const char *view_menu);
void redirect_to_login(request_t *req);

/* Flask-AppBuilder's @has_access_api for JSON views of Superset's own
 * (non-FAB-API) classes: same check, but the refusal is JSON,
 * {"message": "Access is Denied", "severity": "danger"}, 401 for anonymous
 * users and 403 otherwise. */
bool has_access_api(request_t *req, const char *permission, const char *view_menu);

#endif
