/* Route tables of the controllers, one per file in fcgi/api/. */
#ifndef LITESET_FCGI_API_H
#define LITESET_FCGI_API_H

#include <stddef.h>

#include "fcgi/router.h"

typedef struct route_table {
    const route_def_t *routes;
    size_t count;
    const char *enabled_by; /* config key that must be true, or NULL */
} route_table_t;

extern const route_table_t health_routes;
extern const route_table_t dev_routes;
extern const route_table_t security_routes;
extern const route_table_t me_routes;
extern const route_table_t auth_view_routes;
extern const route_table_t security_role_routes;

#endif
