/* The metadata tables served by the generic model engine (definitions in
 * persistence/models_*.c). Static declarations, nothing allocated. */
#ifndef LITESET_PERSISTENCE_MODELS_H
#define LITESET_PERSISTENCE_MODELS_H

#include "persistence/model.h"

/* Flask-AppBuilder security tables */
extern const model_t model_ab_user, model_ab_role, model_ab_group, model_ab_permission, model_ab_view_menu,
    model_ab_permission_view, model_ab_register_user;

/* Superset tables */
extern const model_t model_css_template;
extern const model_t model_dataset_ref, model_rls_filter; /* models_rls.c */
extern const model_t model_database_ref, model_query, model_saved_query; /* models_sqllab.c */
extern const model_t model_log; /* models_log.c */
extern const model_t model_chart, model_chart_dataset, model_chart_dashboard; /* models_chart.c */
extern const model_t model_dashboard, model_dashboard_slice; /* models_dashboard.c */
extern const model_t model_database; /* models_database.c */
extern const model_t model_dataset, model_table_column, model_sql_metric; /* models_dataset.c */
extern const model_t model_annotation_layer, model_annotation; /* models_annotation.c */
extern const model_t model_theme, model_tag; /* models_misc.c */
extern const model_t model_report_schedule, model_report_recipient, model_report_execution_log; /* models_report.c */

#endif
