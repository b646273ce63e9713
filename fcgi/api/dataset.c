/* /api/v1/dataset: Superset's DatasetRestApi reads on the generic engine —
 * list / item / _info / related / distinct under DatasourceFilter, DELETE
 * and bulk delete (children and owner links go with the dataset) — plus the
 * two custom filters (Null or Empty on sql, Is certified on id). The
 * writes and extras (POST, PUT, refresh, related_objects, duplicate,
 * drill_info, get_or_create, column / metric delete) are in
 * dataset_routes.c and the files it names; export / import and warm-up are
 * not served yet. */
#include "fcgi/api/api.h"
#include "fcgi/api/data_access_filter.h"
#include "fcgi/api/related_users.h"
#include "fcgi/model_rest.h"
#include "persistence/models.h"

static const char *const list_columns[] = {
    "id", "uuid", "database.id", "database.database_name", "database.uuid", "changed_by_name",
    "changed_by.first_name", "changed_by.last_name", "changed_by.id", "changed_on_utc", "changed_on_delta_humanized",
    "default_endpoint", "description", "datasource_type", "explore_url", "extra", "kind", "owners.id",
    "owners.first_name", "owners.last_name", "catalog", "schema", "sql", "table_name", "uuid", NULL};
static const char *const show_columns[] = {
    "id", "database.database_name", "database.id", "database.uuid", "table_name", "sql", "filter_select_enabled",
    "fetch_values_predicate", "catalog", "schema", "description", "main_dttm_col", "normalize_columns",
    "always_filter_main_dttm", "offset", "default_endpoint", "cache_timeout", "is_sqllab_view", "template_params",
    "select_star", "owners.id", "owners.first_name", "owners.last_name", "columns.advanced_data_type",
    "columns.changed_on", "columns.column_name", "columns.created_on", "columns.description", "columns.expression",
    "columns.filterable", "columns.groupby", "columns.id", "columns.is_active", "columns.extra", "columns.is_dttm",
    "columns.python_date_format", "columns.type", "columns.uuid", "columns.verbose_name", "metrics.changed_on",
    "metrics.created_on", "metrics.d3format", "metrics.currency", "metrics.description", "metrics.expression",
    "metrics.extra", "metrics.id", "metrics.metric_name", "metrics.metric_type", "metrics.uuid",
    "metrics.verbose_name", "metrics.warning_text", "folders", "datasource_type", "url", "extra", "kind",
    "created_on", "created_on_humanized", "created_by.first_name", "created_by.last_name", "changed_on",
    "changed_on_humanized", "changed_by.first_name", "changed_by.last_name", "columns.type_generic",
    "database.backend", "database.allow_multi_catalog", "columns.advanced_data_type", "is_managed_externally",
    "uid", "uuid", "datasource_name", "name", "column_formats", "granularity_sqla", "time_grain_sqla",
    "order_by_choices", "verbose_map", NULL};
static const char *const add_columns[] = {"database", "catalog", "schema", "table_name", "sql", "owners", NULL};
static const char *const edit_columns[] = {
    "table_name", "sql", "filter_select_enabled", "fetch_values_predicate", "catalog", "schema", "description",
    "main_dttm_col", "normalize_columns", "always_filter_main_dttm", "offset", "default_endpoint", "cache_timeout",
    "is_sqllab_view", "template_params", "owners", "columns", "metrics", "extra", NULL};
static const char *const search_columns[] = {"id", "uuid", "database", "owners", "catalog", "schema", "sql",
                                             "table_name", "created_by", "changed_by", "uuid", NULL};
static const char *const order_columns[] = {"table_name", "catalog", "schema", "changed_by.first_name",
                                            "changed_on_delta_humanized", "database.database_name", NULL};
static const char *const distinct_columns[] = {"catalog", "schema", NULL};

/* DatasetIsNullOrEmptyFilter: value true keeps sql NULL or '', false the rest. */
static mq_filter_result_t null_or_empty(request_t *req, model_query_t *q, const json_t *value) {
    (void)req;
    if (!json_is_boolean(value)) return MQ_FILTER_SKIPPED;
    mq_where(q, json_is_true(value) ? "t.sql IS NULL OR t.sql = ''" : "t.sql IS NOT NULL AND t.sql <> ''");
    return MQ_FILTER_OK;
}

/* DatasetCertifiedFilter: extra JSON has a certification key (true) or not (false). */
static mq_filter_result_t certified(request_t *req, model_query_t *q, const json_t *value) {
    (void)req;
    if (json_is_true(value)) mq_where(q, "t.extra ILIKE '%\"certification\":%'");
    else if (json_is_false(value)) mq_where(q, "t.extra NOT LIKE '%\"certification\":%' OR t.extra IS NULL");
    else return MQ_FILTER_SKIPPED;
    return MQ_FILTER_OK;
}

static const custom_filter_t filters[] = {
    {"dataset_is_null_or_empty", "Null or Empty", "sql", null_or_empty},
    {"dataset_is_certified", "Is certified", "id", certified},
    {NULL, NULL, NULL, NULL},
};

static const related_field_t related[] = {
    RELATED_USERS("changed_by", NULL),
    {"created_by", NULL, NULL, NULL, NULL},
    {"database", "t.database_name ILIKE %1$s || '%%'", NULL, NULL, NULL},
    {"owners",
     "(t.first_name || ' ' || t.last_name ILIKE '%%' || %1$s || '%%' OR t.username ILIKE '%%' || %1$s || '%%')",
     NULL, "json_build_object('email', t.email, 'active', t.active)", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

const resource_t dataset_resource = {
    .base = "/api/v1/dataset", .model = &model_dataset, .view_menu = "Dataset",
    .log_class = "DatasetRestApi", .log_own = LOG_EP_GET | LOG_EP_POST | LOG_EP_PUT | LOG_EP_DELETE | LOG_EP_BULK_DELETE,
    .perm_list = "can_read", .perm_get = "can_read", .perm_info = "can_read", .perm_delete = "can_write",
    .list_columns = list_columns, .show_columns = show_columns, .add_columns = add_columns,
    .edit_columns = edit_columns, .search_columns = search_columns, .order_columns = order_columns,
    .related = related, .distinct_columns = distinct_columns, .custom_filters = filters,
    .base_filter = data_access_datasource_filter, .noun_singular = "dataset", .noun_plural = "datasets",
    .superset_errors = true,
};
