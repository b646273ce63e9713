/* superset.explore.utils.check_access for the explore permalink endpoints:
 * the datasource (dataset or SQL Lab query) and the optional chart the
 * caller wants to link must exist and be readable. */
#ifndef LITESET_FCGI_API_EXPLORE_ACCESS_H
#define LITESET_FCGI_API_EXPLORE_ACCESS_H

#include <stdint.h>

#include "fcgi/request.h"

typedef enum {
    EXPLORE_OK,
    EXPLORE_DATASET_NOT_FOUND, /* 404 "Dataset does not exist" */
    EXPLORE_DATASET_DENIED,    /* 403 "You don't have access to this dataset." */
    EXPLORE_CHART_NOT_FOUND,   /* 404 "Chart not found." */
    EXPLORE_CHART_DENIED,      /* 403 "You don't have access to this chart." */
    EXPLORE_INVALID,           /* reserved for callers folding the four below */
    EXPLORE_NO_DATASOURCE,     /* datasource id 0: "Datasource does not exist" */
    EXPLORE_TYPE_INVALID,      /* not table/query: "Datasource type is invalid" */
    EXPLORE_QUERY_NOT_FOUND,   /* "Query does not exist" */
    EXPLORE_QUERY_DENIED,      /* raise_for_access(query) failed */
    EXPLORE_DB_ERROR,
} explore_access_t;

/* datasource_type: "table", "query", ... (validated by the caller). */
explore_access_t explore_check_access(request_t *req, int64_t datasource_id, const char *datasource_type,
                                      int64_t chart_id);

/* Answers the outcome's status and message (not for EXPLORE_OK). */
void explore_access_error(request_t *req, explore_access_t r);

#endif
