/* GET /api/v1/dashboard/<id_or_slug>/datasets (DashboardRestApi.get_datasets):
 * {"result": [dataset, ...]} for a dashboard visible to the caller; an
 * unknown or hidden dashboard answers 404 {"error": "Dashboard not found."}
 * as the API's exception handler renders DashboardNotFoundError. */
#include "domain/dashboard_datasets.h"
#include "fcgi/api/api.h"
#include "fcgi/api/dashboard.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"
#include "fcgi/event_logger.h"
#include "lib/json.h"
#include "persistence/models.h"

static void get_datasets(request_t *req) {
    model_query_t q;
    mq_init(&q, req->arena, &model_dashboard);
    dashboard_where_id_or_slug(req, &q, req_path_param(req, "id_or_slug"));
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              arena_sprintf(req->arena, "SELECT t.id FROM dashboards t WHERE %s LIMIT 1", q.where.data),
                              q.nparams, q.params);
    if (r && !pg_nrows(r)) {
        event_log_skip(req); /* DashboardNotFoundError is rendered outside the event logger */
        resp_json(req, 404, json_pack("{s:s}", "error", "Dashboard not found."), JSON_PY_DEFAULT);
        return;
    }
    json_t *result = r ? dashboard_datasets(app_pg(req->app), req->arena, app_config(req->app), pg_get_int(r, 0, 0, 0),
                                            req->user && req->user->is_guest, &err)
                       : NULL;
    if (!result) {
        event_log_skip(req); /* raised through the event logger: no row */
        resp_json(req, 500, json_pack("{s:s}", "error", "Fatal error"), JSON_PY_DEFAULT);
        return;
    }
    resp_json(req, 200, json_pack("{s:o}", "result", result), JSON_FLASK);
}

static const route_def_t routes[] = {
    {"GET", "/api/v1/dashboard/<id_or_slug>/datasets", get_datasets, GUARD("can_read", "Dashboard"), 0, NULL,
     "DashboardRestApi.get_datasets"},
};

const route_table_t dashboard_dataset_routes = {routes, sizeof routes / sizeof routes[0], NULL};
