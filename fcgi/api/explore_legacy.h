/* The save actions of the legacy POST /superset/explore/ view. */
#ifndef LITESET_FCGI_API_EXPLORE_LEGACY_H
#define LITESET_FCGI_API_EXPLORE_LEGACY_H

#include <stdbool.h>

#include "fcgi/request.h"

/* Handles ?action=saveas|overwrite (true: answered). False when the
 * request is a plain page render, which the caller serves. */
bool explore_legacy_post(request_t *req);

#endif
