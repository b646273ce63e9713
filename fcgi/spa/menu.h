/* The navigation menu as Flask-AppBuilder builds it for Superset 6.0.0
 * (`menu_data` of the bootstrap and GET /api/v1/menu/): the menu items in
 * registration order, filtered by their conditions and by the user's
 * menu_access permissions, plus brand, environment tag and navbar_right.
 *
 * Ownership: results are new jansson references. */
#ifndef LITESET_FCGI_SPA_MENU_H
#define LITESET_FCGI_SPA_MENU_H

#include <jansson.h>

#include "domain/user.h"
#include "fcgi/request.h"

/* Menu items for user (NULL: anonymous, i.e. the public role). */
json_t *spa_menu_items(request_t *req, const sec_user_t *user);
/* {"menu", "brand", "environment_tag", "navbar_right"}. */
json_t *spa_menu_data(request_t *req, const sec_user_t *user);

#endif
