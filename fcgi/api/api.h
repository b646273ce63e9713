/* Route tables of the controllers, one per file in fcgi/api/. */
#ifndef LITESET_FCGI_API_H
#define LITESET_FCGI_API_H

#include <stddef.h>

#include "fcgi/router.h"

typedef struct route_table {
    const route_def_t *routes;
    size_t count;
    const char *enabled_by; /* config keys (space-separated) that must all be true, or NULL */
} route_table_t;

extern const route_table_t health_routes;
extern const route_table_t dev_routes;
extern const route_table_t security_routes;
extern const route_table_t me_routes;
extern const route_table_t auth_view_routes;
extern const route_table_t page_routes;       /* pages.c: SPA shell pages */
extern const route_table_t menu_routes;       /* menu.c: /api/v1/menu/ */
extern const route_table_t lang_routes;       /* lang.c: /lang/, language packs */
extern const route_table_t legacy_log_routes; /* legacy_log.c: POST /superset/log/ */
extern const route_table_t security_role_routes;
extern const route_table_t dashboard_routes; /* dashboard_item.c: /api/v1/dashboard custom endpoints */
extern const route_table_t annotation_routes; /* annotation.c: /api/v1/annotation_layer/<pk>/annotation/ */
extern const route_table_t chart_routes; /* chart_routes.c: /api/v1/chart custom endpoints */
extern const route_table_t permalink_routes; /* permalink.c: explore, sqllab and dashboard permalinks */
extern const route_table_t theme_routes; /* theme.c: /api/v1/theme writes */
extern const route_table_t theme_admin_routes; /* theme_admin.c: system theme switches */
extern const route_table_t tag_routes; /* tag.c: /api/v1/tag writes */
extern const route_table_t embedded_routes; /* embedded.c: embedded_dashboard, available_domains */
extern const route_table_t time_range_routes; /* time_range.c: /api/v1/time_range/ */
extern const route_table_t sqllab_state_routes; /* sqllab_state.c: /api/v1/sqllab/, /tabstateview/..., /tableschemaview/... */
extern const route_table_t query_routes; /* query.c: /api/v1/query/updated_since */
extern const route_table_t tagview_routes; /* tagview.c: /tagview/tags/ */
extern const route_table_t openapi_routes; /* openapi.c: /api/<version>/_openapi */
extern const route_table_t swagger_routes; /* swagger.c: /swagger/<version> */
extern const route_table_t dashboard_extra_routes; /* dashboard_extra_routes.c: dashboard charts/tabs/embedded/filters/colors/copy, screenshots */
extern const route_table_t embedded_routes;
extern const route_table_t report_routes; /* report.c: /api/v1/report custom endpoints */
extern const route_table_t log_routes; /* log_activity.c: /api/v1/log/recent_activity/ */ /* embedded.c: embedded_dashboard, available_domains */
extern const route_table_t explore_form_data_routes; /* explore_form_data.c: /api/v1/explore/form_data */
extern const route_table_t filter_state_routes; /* filter_state.c: /api/v1/dashboard/<pk>/filter_state */
extern const route_table_t explore_routes; /* explore.c: GET /api/v1/explore/ */
extern const route_table_t dashboard_dataset_routes; /* dashboard_datasets.c: /api/v1/dashboard/<id_or_slug>/datasets */
extern const route_table_t legacy_datasource_routes; /* legacy_datasource.c: /datasource/get, external_metadata, save, samples */
extern const route_table_t dataset_routes; /* dataset_routes.c: /api/v1/dataset writes and extras */
extern const route_table_t database_extra_routes; /* database_extras.c: function names, extra metadata, ssh tunnel, validate_sql */
extern const route_table_t database_routes; /* database_info.c: /api/v1/database extras and target endpoints */
extern const route_table_t database_upload_routes; /* database_upload.c: upload_metadata, <pk>/upload */
extern const route_table_t import_bundle_routes; /* import_bundle.c: POST <resource>/import/, assets/import/ */
extern const route_table_t export_bundle_routes; /* export_bundle.c: GET <resource>/export/, assets/export/ */
extern const route_table_t advanced_data_type_routes; /* advanced_data_type.c: /api/v1/advanced_data_type/ */
extern const route_table_t cachekey_routes; /* cachekey.c: POST /api/v1/cachekey/invalidate */
extern const route_table_t database_oauth2_routes; /* database_oauth2.c: GET /api/v1/database/oauth2/ */

#endif
