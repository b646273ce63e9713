/* The explore form_data commands (CreateFormDataCommand and friends): the
 * state of an unsaved chart kept in EXPLORE_FORM_DATA_CACHE_CONFIG under a
 * random key, plus a "contextual" entry (session id, tab id, datasource,
 * chart) remembering the key a browser tab last used. Shared by the
 * /api/v1/explore/form_data endpoints, GET /api/v1/explore/ and the legacy
 * /superset/explore/ redirect. */
#ifndef LITESET_FCGI_API_EXPLORE_FORM_DATA_H
#define LITESET_FCGI_API_EXPLORE_FORM_DATA_H

#include <stdint.h>

#include "fcgi/api/explore_access.h"
#include "fcgi/request.h"

typedef enum {
    FD_OK,
    FD_INVALID_JSON, /* form_data is not JSON: ValidationError "JSON not valid" */
    FD_ACCESS,       /* explore_check_access failed: see *access */
    FD_NOT_OWNER,    /* TemporaryCacheAccessDeniedError */
    FD_MISSING,      /* nothing stored under the key */
    FD_ERROR,        /* database or stored-value error */
} fd_status_t;

typedef struct fd_params {
    int64_t datasource_id;
    const char *datasource_type; /* "table", "query", ... */
    int64_t chart_id;            /* 0 with has_chart false: None */
    bool has_chart;
    const char *tab_id;          /* the raw query argument, NULL when absent */
    const char *form_data;       /* JSON text */
    const char *datasource_id_text; /* set when the id arrived as text (legacy redirect): stored as a string */
} fd_params_t;

/* Stores p and answers the key (the tab's previous one when tab_id is set). */
fd_status_t fd_create(request_t *req, const fd_params_t *p, const char **key, explore_access_t *access);
/* Replaces the state under key; *key_out may be a new key. */
fd_status_t fd_update(request_t *req, const fd_params_t *p, const char *key, const char **key_out,
                      explore_access_t *access);
/* The form_data text under key (refreshing its expiry when configured). */
fd_status_t fd_get(request_t *req, const char *key, const char **form_data, explore_access_t *access);
fd_status_t fd_delete(request_t *req, const char *key, const char *tab_id, explore_access_t *access);

/* Superset.get_redirect_url for GET /superset/explore/...: the relative
 * /explore/... URL, with a form_data argument that names a datasource moved
 * into the cache and replaced by form_data_key. NULL when the form data
 * cannot be stored (invalid JSON, no access): the view fails with 500. */
const char *fd_legacy_redirect_url(request_t *req);

#endif
