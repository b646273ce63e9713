/* The resources served by the generic model engine. */
#include "fcgi/model_rest.h"

extern const resource_t security_users_resource, security_roles_resource, security_permissions_resource,
    security_view_menus_resource, security_pvms_resource, security_groups_resource,
    security_registrations_resource, css_template_resource;
extern const resource_t dashboard_resource;
extern const resource_t chart_resource; /* chart.c */
extern const resource_t database_resource, dataset_resource; /* database.c, dataset.c */
extern const resource_t annotation_layer_resource; /* annotation.c */
extern const resource_t theme_resource, tag_resource; /* theme.c, tag.c */
extern const resource_t report_resource; /* report.c */
extern const resource_t rowlevelsecurity_resource, log_resource, query_resource, saved_query_resource;

const resource_t *const model_resources[] = {
    &security_users_resource,       &security_roles_resource, &security_permissions_resource,
    &security_view_menus_resource,  &security_pvms_resource,  &security_groups_resource,
    &security_registrations_resource, &css_template_resource,
    &rowlevelsecurity_resource, &log_resource, &query_resource, &saved_query_resource,
    &dashboard_resource,
    &chart_resource,
    &database_resource, &dataset_resource,
    &theme_resource, &tag_resource,
    &annotation_layer_resource,
    &report_resource,
    NULL,
};
