/* Explore access checks; see explore_access.h. Dataset access is
 * can_access_datasource: the DatasourceFilter grants (all datasources,
 * database, catalog, schema or the dataset's perm) or ownership. A query's
 * access is approximated by all-datasource or database access. */
#include "fcgi/api/explore_access.h"

#include <string.h>

#include "domain/access.h"
#include "domain/security.h"
#include "fcgi/api/data_access_filter.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"
#include "persistence/models.h"

static const char *id_text(request_t *req, int64_t id) { return arena_sprintf(req->arena, "%lld", (long long)id); }

static int64_t user_id(request_t *req) { return req->user ? req->user->id : 0; }

static explore_access_t check_dataset(request_t *req, int64_t id) {
    pg_error_t err;
    const char *p[] = {id_text(req, id)};
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err, "SELECT 1 FROM tables WHERE id = $1::int", 1, p);
    if (!r) return EXPLORE_DB_ERROR;
    if (!pg_nrows(r)) return EXPLORE_DATASET_NOT_FOUND;
    model_query_t q;
    mq_init(&q, req->arena, &model_dataset);
    data_access_datasource_filter(req, &q);
    const char *idp = mq_param(&q, p[0]);
    const char *uid = mq_param(&q, id_text(req, user_id(req)));
    const char *sql = arena_sprintf(req->arena,
                                    "SELECT 1 FROM tables t WHERE t.id = %s::int AND ((%s) OR t.id IN"
                                    " (SELECT o.table_id FROM sqlatable_user o WHERE o.user_id = %s::int))",
                                    idp, q.where.len ? q.where.data : "TRUE", uid);
    r = pg_query(app_pg(req->app), req->arena, &err, sql, q.nparams, q.params);
    if (!r) return EXPLORE_DB_ERROR;
    return pg_nrows(r) ? EXPLORE_OK : EXPLORE_DATASET_DENIED;
}

static explore_access_t check_query(request_t *req, int64_t id) {
    pg_error_t err;
    const char *p[] = {id_text(req, id)};
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "SELECT d.database_name, d.id FROM query q JOIN dbs d ON d.id = q.database_id"
                              " WHERE q.id = $1::int",
                              1, p);
    if (!r) return EXPLORE_DB_ERROR;
    if (!pg_nrows(r)) return EXPLORE_QUERY_NOT_FOUND;
    security_t *s = app_security(req->app);
    const config_t *cfg = app_config(req->app);
    if (access_all_datasources(s, cfg, req->user)) return EXPLORE_OK;
    char *perm = perm_database(req->arena, pg_get(r, 0, 0), pg_get_int(r, 0, 1, 0));
    return access_database(s, cfg, req->user, perm) ? EXPLORE_OK : EXPLORE_QUERY_DENIED;
}

static explore_access_t check_chart(request_t *req, int64_t chart_id) {
    pg_error_t err;
    const char *p[] = {id_text(req, chart_id), id_text(req, user_id(req))};
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "SELECT EXISTS (SELECT 1 FROM slice_user o WHERE o.slice_id = s.id"
                              " AND o.user_id = $2::int) FROM slices s WHERE s.id = $1::int",
                              2, p);
    if (!r) return EXPLORE_DB_ERROR;
    if (!pg_nrows(r)) return EXPLORE_CHART_NOT_FOUND;
    security_t *s = app_security(req->app);
    const config_t *cfg = app_config(req->app);
    if (pg_get_bool(r, 0, 0, false) || security_is_admin(cfg, req->user) ||
        security_can(s, cfg, req->user, "can_read", "Chart"))
        return EXPLORE_OK;
    return EXPLORE_CHART_DENIED;
}

explore_access_t explore_check_access(request_t *req, int64_t datasource_id, const char *datasource_type,
                                      int64_t chart_id) {
    if (!datasource_id) return EXPLORE_NO_DATASOURCE;
    explore_access_t r;
    if (!strcmp(datasource_type, "table")) r = check_dataset(req, datasource_id);
    else if (!strcmp(datasource_type, "query")) r = check_query(req, datasource_id);
    else r = EXPLORE_TYPE_INVALID;
    if (r != EXPLORE_OK || !chart_id) return r;
    return check_chart(req, chart_id);
}

void explore_access_error(request_t *req, explore_access_t r) {
    static const struct {
        int status;
        const char *message;
    } answers[] = {
        [EXPLORE_OK] = {500, "Fatal error"},
        [EXPLORE_DATASET_NOT_FOUND] = {404, "Dataset does not exist"},
        [EXPLORE_DATASET_DENIED] = {403, "You don't have access to this dataset."},
        [EXPLORE_CHART_NOT_FOUND] = {404, "Chart not found."},
        [EXPLORE_CHART_DENIED] = {403, "You don't have access to this chart."},
        [EXPLORE_INVALID] = {500, "Fatal error"},
        [EXPLORE_NO_DATASOURCE] = {500, "Fatal error"},
        [EXPLORE_TYPE_INVALID] = {500, "Fatal error"},
        [EXPLORE_QUERY_NOT_FOUND] = {500, "Fatal error"},
        [EXPLORE_QUERY_DENIED] = {500, "Fatal error"},
        [EXPLORE_DB_ERROR] = {500, "Fatal error"},
    };
    error_fab(req, answers[r].status, answers[r].message);
}
