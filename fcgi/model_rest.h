/* The generic model REST engine (Flask-AppBuilder ModelRestApi semantics):
 * a resource is declared once as data — its model, route base, permission
 * names, column sets and titles — and the engine serves GET list (rison `q`
 * with columns, keys, filters, order, paging), GET item, _info, POST, PUT and
 * DELETE for it, with the reference's response keys and error bodies.
 *
 * Resource-specific rules (validation of writes, derived columns) plug in
 * through the hooks. Declarations are static; the engine allocates only on
 * request arenas, plus the generated route tables (owned by the caller of
 * model_rest_routes). */
#ifndef LITESET_FCGI_MODEL_REST_H
#define LITESET_FCGI_MODEL_REST_H

#include <jansson.h>

#include "fcgi/request.h"
#include "fcgi/router.h"
#include "persistence/model.h"
#include "persistence/model_query.h"
#include "persistence/pg.h"

typedef struct resource resource_t;

/* Engine endpoints, for a resource's event-log overrides. */
enum {
    LOG_EP_LIST = 1 << 0, LOG_EP_INFO = 1 << 1, LOG_EP_GET = 1 << 2, LOG_EP_POST = 1 << 3,
    LOG_EP_PUT = 1 << 4, LOG_EP_DELETE = 1 << 5, LOG_EP_BULK_DELETE = 1 << 6,
};

typedef struct column_label {
    const char *col;
    const char *label;
} column_label_t;

/* Write hook: validates the JSON body (already checked to be an object) and
 * turns it into column values. Returns NULL when valid, else the
 * {"field": ["message"]} object (caller owns). */
typedef json_t *(*resource_validate_fn)(request_t *req, const resource_t *res, json_t *body, bool is_post);
/* Runs after a successful insert/update inside the same transaction (e.g.
 * password hashing, link tables). false = roll back with *error set. */
typedef bool (*resource_after_write_fn)(request_t *req, const resource_t *res, pg_conn_t *c, int64_t id,
                                        json_t *body, const char **error);

/* A column served by GET <base>/related/<column> (rest-api.md §1.8). SQL
 * fragments use alias t for the related table. */
typedef struct related_field {
    const char *column;      /* relation name */
    const char *filter_sql;  /* condition with one %s placeholder for the text filter, or NULL (ignored) */
    const char *order_sql;   /* ORDER BY expression, or NULL (unordered: by pk) */
    const char *extra_sql;   /* json_build_object(...) for "extra", or NULL ({}) */
    const char *base_sql;    /* always-applied condition, or NULL */
} related_field_t;

/* A Superset custom filter operator (rest-api.md §1.12) on one column. */
typedef mq_filter_result_t (*custom_filter_fn)(request_t *req, model_query_t *q, const json_t *value);
typedef struct custom_filter {
    const char *code;    /* "css_template_all_text" */
    const char *name;    /* label in _info, "All Text" */
    const char *column;  /* search column it is offered on */
    custom_filter_fn apply;
} custom_filter_t;

/* Access (base) filter ANDed into every query of the resource's rows. */
typedef void (*base_filter_fn)(request_t *req, model_query_t *q);

struct resource {
    const char *base;          /* "/api/v1/security/users" */
    const model_t *model;
    const char *view_menu;     /* class_permission_name, e.g. "User" */
    /* Permission names per generic endpoint; NULL = endpoint not exposed. */
    const char *perm_list, *perm_get, *perm_info, *perm_post, *perm_put, *perm_delete;
    /* Column sets, NULL-terminated. */
    const char *const *list_columns;
    const char *const *show_columns;
    const char *const *add_columns;
    const char *const *edit_columns;
    const char *const *search_columns;
    const char *const *order_columns;
    const char *base_order;    /* column, or NULL */
    bool base_order_desc;
    int page_size;             /* default 20 */
    int max_page_size;         /* default 100 */
    unsigned route_flags;      /* ROUTE_CSRF_EXEMPT for FAB's own APIs */
    const column_label_t *labels; /* explicit labels, {NULL} terminated, may be NULL */
    resource_validate_fn validate;
    resource_after_write_fn after_write;
    bool post_returns_id_only;    /* FAB UserApi answers 201 {"id": N} */
    const related_field_t *related;        /* {NULL} terminated, may be NULL */
    const char *const *distinct_columns;   /* NULL-terminated, may be NULL */
    const custom_filter_t *custom_filters; /* {NULL} terminated, may be NULL */
    base_filter_fn base_filter;            /* may be NULL */
    const char *noun_singular;             /* bulk delete "Deleted 1 chart"; NULL = no bulk delete */
    const char *noun_plural;
    bool superset_errors;   /* Superset class: database errors answer 422 {"error": ...} */
    const char *list_title; /* explicit title ("Logs"), else "List <Model Name>" */
    int validation_status;  /* status of schema errors on writes: 422 (FAB, default) or 400 (Superset schemas) */
    bool put_returns_id;    /* Superset commands answer PUT with {"id", "result"} */
    /* base_permissions reported by _info when some endpoints are custom routes
     * (NULL-terminated); NULL: the perm_* fields. */
    const char *const *info_permissions;
    /* FAB @before_request gate (feature flags, settings): when it returns
     * false the engine's routes answer 404 {"message": "Not found"} before
     * authentication; with gate_custom_routes every route under base does
     * (one class per base sharing the gate). NULL: always enabled. */
    bool (*enabled)(const config_t *cfg);
    bool gate_custom_routes;
    /* Related fields: base filter per column (alias t = the related table,
     * e.g. ChartFilter on a chart relation) and the SQL of the "text" shown
     * (text_field_rel_fields); NULL hooks or NULL text: none / str(row). */
    void (*related_scope)(request_t *req, const char *column, model_query_t *q);
    const char *(*related_text)(const char *column);
    /* Event log (log_this_with_context): the Superset class name
     * ("ChartRestApi"), whose base endpoints write rows as
     * BaseSupersetModelRestApi's do; NULL: a FAB class, no rows. */
    const char *log_class;
    unsigned log_own;  /* LOG_EP_* the class overrides with its own logged method (path kwargs logged) */
    unsigned log_none; /* LOG_EP_* the class overrides without logging */
};

/* The gate of the resource owning the matched route (see enabled): false
 * after answering 404. Runs after the CSRF check, before authentication. */
bool model_rest_gate(request_t *req, const route_def_t *route);

/* The engine's GET list and GET item of res, for custom routes that serve
 * a resource under another path (sub-resources such as report logs); the
 * resource's base_filter scopes the rows. */
void model_rest_serve_list(request_t *req, const resource_t *res);
void model_rest_serve_item(request_t *req, const resource_t *res, int64_t pk);

/* Route definitions for a resource (heap array, caller frees with free()). */
route_def_t *model_rest_routes(const resource_t *res, size_t *n);
void model_rest_free_routes(route_def_t *routes, size_t n);

/* FAB label of a column ("changed_by.first_name" -> "Changed By First Name"). */
char *model_rest_label(arena_t *a, const resource_t *res, const char *col);

/* The resource whose base prefixes the request path (for the generic handlers). */
const resource_t *model_rest_find(const char *path);
/* Registry of resources served by the engine (NULL-terminated). */
extern const resource_t *const model_resources[];

#endif
