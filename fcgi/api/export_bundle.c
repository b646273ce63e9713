/* Bundle export endpoints: GET /api/v1/{dashboard,chart,dataset,database,
 * saved_query,theme}/export/?q=!(ids) and GET /api/v1/assets/export/. Every
 * requested id must be visible under the resource's base filter (else 404
 * {"message": "Not found"}); the files of the domain export command are
 * stored under "<type>_export_<local timestamp>/" in a ZIP sent as an
 * attachment; ?token=T sets the cookie T=done the UI polls for. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "domain/bundle_export.h"
#include "fcgi/api/api.h"
#include "fcgi/api/rison_list.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"
#include "fcgi/event_logger.h"
#include "fcgi/model_rest.h"
#include "lib/json.h"
#include "lib/offload.h"
#include "lib/zipfile.h"
#include "persistence/model_query.h"

typedef struct export_route {
    const char *path;
    export_command_t command;
    const char *resource; /* base path of the resource whose base filter applies; NULL for assets */
    const char *root;     /* bundle root prefix */
} export_route_t;

static const export_route_t export_routes[] = {
    {"/api/v1/dashboard/export/", EXPORT_DASHBOARDS, "/api/v1/dashboard", "dashboard_export"},
    {"/api/v1/chart/export/", EXPORT_CHARTS, "/api/v1/chart", "chart_export"},
    {"/api/v1/dataset/export/", EXPORT_DATASETS, "/api/v1/dataset", "dataset_export"},
    {"/api/v1/database/export/", EXPORT_DATABASES, "/api/v1/database", "database_export"},
    {"/api/v1/saved_query/export/", EXPORT_SAVED_QUERIES, "/api/v1/saved_query", "saved_query_export"},
    {"/api/v1/assets/export/", EXPORT_ASSETS, NULL, "assets_export"},
    {"/api/v1/theme/export/", EXPORT_THEMES, "/api/v1/theme", "theme_export"},
};

static const export_route_t *route_of(request_t *req) {
    for (size_t i = 0; i < sizeof export_routes / sizeof export_routes[0]; i++)
        if (!strcmp(req->path, export_routes[i].path)) return &export_routes[i];
    return NULL;
}

/* Number of distinct requested ids visible under the resource's base filter; -1 on error. */
static int visible_count(request_t *req, const resource_t *res, const json_t *ids) {
    model_query_t mq;
    mq_init(&mq, req->arena, res->model);
    if (res->base_filter) res->base_filter(req, &mq);
    const char *text = json_dump_arena(req->arena, ids, JSON_COMPACT, NULL);
    mq_where(&mq, arena_sprintf(req->arena, "t.id IN (SELECT x::bigint FROM jsonb_array_elements_text(%s::jsonb) e(x))",
                                mq_param(&mq, text)));
    static const char *const cols[] = {"id"};
    json_t *found = NULL;
    pg_error_t err;
    json_t *rows = mq_fetch(&mq, app_pg(req->app), cols, 1, &found, &err);
    if (!rows) return -1;
    int n = (int)json_array_size(found);
    json_decref(rows);
    json_decref(found);
    return n;
}

/* datetime.now(tz=timezone.utc).isoformat() */
static const char *utc_iso(request_t *req) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    return arena_sprintf(req->arena, "%04d-%02d-%02dT%02d:%02d:%02d.%06ld+00:00", tm.tm_year + 1900, tm.tm_mon + 1,
                         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (long)tv.tv_usec);
}

static const char *http_date(request_t *req, time_t t) {
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;
    gmtime_r(&t, &tm);
    return arena_sprintf(req->arena, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday], tm.tm_mday,
                         months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

typedef struct zip_job {
    const json_t *files;
    const char *root;
    char *zip;
    size_t len;
    bool ok;
} zip_job_t;

/* Stores every file under root/ in a ZIP; an offload job (no arena use). */
static void zip_job(void *arg) {
    zip_job_t *j = arg;
    zipf_writer_t *w = zipf_writer_new();
    const char *name;
    json_t *text;
    char path[4096];
    json_object_foreach((json_t *)j->files, name, text) {
        snprintf(path, sizeof path, "%s/%s", j->root, name);
        zipf_writer_add(w, path, json_string_value(text), json_string_length(text));
    }
    j->ok = zipf_writer_finish(w, &j->zip, &j->len);
}

/* An exception raised through the logged view: no logs row. */
static void fatal(request_t *req) {
    event_log_skip(req);
    error_fab(req, 500, "Fatal error");
}

static void export_bundle(request_t *req) {
    const export_route_t *rt = route_of(req);
    if (!rt) return error_http(req, 404);
    json_t *ids = NULL;
    if (rt->resource) {
        ids = rison_list_arg(req, JSON_INTEGER);
        if (!ids) return event_log_skip(req); /* answered by @rison, outside the event logger */
        event_log_kwarg(req, "rison", ids);
        const resource_t *res = model_rest_find(rt->resource);
        int visible = res ? visible_count(req, res, ids) : -1;
        if (visible < 0) return fatal(req);
        /* find_by_ids returns each row once: a repeated id also answers 404, as in the reference */
        if ((size_t)visible != json_array_size(ids)) return error_fab(req, 404, "Not found");
    }
    time_t now = time(NULL);
    struct tm local;
    localtime_r(&now, &local);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &local);
    const char *root = arena_sprintf(req->arena, "%s_%s", rt->root, stamp);

    json_t *files = json_arena_own(req->arena, json_object());
    if (!bundle_export(app_pg(req->app), req->arena, rt->command, ids, utc_iso(req),
                       config_str(req->cfg, "SECRET_KEY", ""), files))
        return fatal(req);
    zip_job_t job = {files, root, NULL, 0, false};
    offload_run(zip_job, &job);
    if (!job.ok) return fatal(req);
    resp_body(req, 200, "application/zip", job.zip, job.len);
    free(job.zip);
    resp_set_header(req, "Content-Disposition", arena_sprintf(req->arena, "attachment; filename=%s.zip", root));
    resp_set_header(req, "Cache-Control", "no-cache");
    const char *token = req_query_arg(req, "token");
    if (token && *token)
        resp_add_header(req, "Set-Cookie", arena_sprintf(req->arena, "%s=done; Expires=%s; Max-Age=600; Path=/", token,
                                                         http_date(req, now + 600)));
}

static const route_def_t routes[] = {
    {"GET", "/api/v1/dashboard/export/", export_bundle, GUARD("can_export", "Dashboard"), 0, NULL,
     "DashboardRestApi.export"},
    {"GET", "/api/v1/chart/export/", export_bundle, GUARD("can_export", "Chart"), 0, NULL, "ChartRestApi.export"},
    {"GET", "/api/v1/dataset/export/", export_bundle, GUARD("can_export", "Dataset"), 0, NULL,
     "DatasetRestApi.export"},
    {"GET", "/api/v1/database/export/", export_bundle, GUARD("can_export", "Database"), 0, NULL,
     "DatabaseRestApi.export"},
    /* the reference's saved-query export has no event logger: no row */
    {"GET", "/api/v1/saved_query/export/", export_bundle, GUARD("can_export", "SavedQuery"), 0, NULL},
    {"GET", "/api/v1/assets/export/", export_bundle, GUARD("can_export", "ImportExportRestApi"), 0, NULL,
     "ImportExportRestApi.export"},
    {"GET", "/api/v1/theme/export/", export_bundle, GUARD("can_export", "Theme"), 0, NULL, "ThemeRestApi.export"},
};

const route_table_t export_bundle_routes = {routes, sizeof routes / sizeof routes[0], NULL};
