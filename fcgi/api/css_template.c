/* /api/v1/css_template: Superset's CssTemplateRestApi on the generic engine
 * (read/write permissions on CssTemplate, the "All Text" filter, audit
 * users as related fields, bulk delete). */
#include "fcgi/api/api.h"
#include "fcgi/api/related_users.h"
#include "fcgi/model_rest.h"
#include "persistence/models.h"

static mq_filter_result_t all_text(request_t *req, model_query_t *q, const json_t *value) {
    (void)req;
    if (!json_is_string(value) || !*json_string_value(value)) return MQ_FILTER_SKIPPED;
    const char *p = mq_param(q, arena_sprintf(q->arena, "%%%s%%", json_string_value(value)));
    mq_where(q, arena_sprintf(q->arena, "t.template_name ILIKE %s OR t.css ILIKE %s", p, p));
    return MQ_FILTER_OK;
}

static const char *const list_columns[] = {"changed_on_delta_humanized", "changed_by.first_name", "changed_by.id",
                                           "changed_by.last_name", "created_on", "created_by.first_name",
                                           "created_by.id", "created_by.last_name", "css", "id", "template_name",
                                           NULL};
static const char *const show_columns[] = {"changed_on_delta_humanized", "changed_by.first_name", "changed_by.id",
                                           "changed_by.last_name", "created_by.first_name", "created_by.id",
                                           "created_by.last_name", "css", "id", "template_name", NULL};
static const char *const write_columns[] = {"css", "template_name", NULL};
static const char *const search_columns[] = {"template_name", "css", "uuid", "created_on", "changed_on",
                                             "created_by", "changed_by", NULL};
static const char *const order_columns[] = {"template_name", NULL};

static const custom_filter_t filters[] = {
    {"css_template_all_text", "All Text", "template_name", all_text},
    {NULL, NULL, NULL, NULL},
};

static const related_field_t related[] = {
    RELATED_USERS("changed_by", NULL),
    RELATED_USERS("created_by", NULL),
    {NULL, NULL, NULL, NULL, NULL},
};

const resource_t css_template_resource = {
    .base = "/api/v1/css_template", .model = &model_css_template, .view_menu = "CssTemplate",
    .log_class = "CssTemplateRestApi", .log_own = LOG_EP_BULK_DELETE,
    .perm_list = "can_read", .perm_get = "can_read", .perm_info = "can_read", .perm_post = "can_write",
    .perm_put = "can_write", .perm_delete = "can_write",
    .list_columns = list_columns, .show_columns = show_columns, .add_columns = write_columns,
    .edit_columns = write_columns, .search_columns = search_columns, .order_columns = order_columns,
    .related = related, .custom_filters = filters, .noun_singular = "css template", .noun_plural = "css templates",
    .superset_errors = true,
};
