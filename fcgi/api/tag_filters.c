/* "Is tagged" filters; see tag_filters.h. */
#include "fcgi/api/tag_filters.h"

#include "fcgi/api/rison_list.h"

/* str(value) as Python formats it into the pattern. */
static const char *text_of(request_t *req, const json_t *v) {
    return json_is_string(v) ? json_string_value(v) : py_repr(req, v);
}

mq_filter_result_t tag_filter_by_name(request_t *req, model_query_t *q, const json_t *value, const char *object_type) {
    const char *type = mq_param(q, object_type);
    const char *p = mq_param(q, arena_sprintf(q->arena, "%%%s%%", text_of(req, value)));
    mq_where(q, arena_sprintf(q->arena, "t.id IN (SELECT o.object_id FROM tagged_object o JOIN tag g ON g.id = o.tag_id"
                                        " WHERE o.object_type = %s AND g.name ILIKE %s)", type, p));
    return MQ_FILTER_OK;
}

mq_filter_result_t tag_filter_by_id(request_t *req, model_query_t *q, const json_t *value, const char *object_type) {
    /* Tag.id == value: a value that is no integer fails in the database, as in the reference */
    if (json_is_boolean(value) || json_is_null(value) || (!json_is_integer(value) && !json_is_string(value)))
        return MQ_FILTER_BAD_VALUE;
    const char *type = mq_param(q, object_type);
    const char *p = mq_param(q, text_of(req, value));
    mq_where(q, arena_sprintf(q->arena, "t.id IN (SELECT o.object_id FROM tagged_object o"
                                        " WHERE o.object_type = %s AND o.tag_id = %s::int)", type, p));
    return MQ_FILTER_OK;
}

mq_filter_result_t tag_filter_chart_name(request_t *req, model_query_t *q, const json_t *value) {
    return tag_filter_by_name(req, q, value, "chart");
}
mq_filter_result_t tag_filter_chart_id(request_t *req, model_query_t *q, const json_t *value) {
    return tag_filter_by_id(req, q, value, "chart");
}
mq_filter_result_t tag_filter_dashboard_name(request_t *req, model_query_t *q, const json_t *value) {
    return tag_filter_by_name(req, q, value, "dashboard");
}
mq_filter_result_t tag_filter_dashboard_id(request_t *req, model_query_t *q, const json_t *value) {
    return tag_filter_by_id(req, q, value, "dashboard");
}
mq_filter_result_t tag_filter_query_name(request_t *req, model_query_t *q, const json_t *value) {
    return tag_filter_by_name(req, q, value, "query");
}
mq_filter_result_t tag_filter_query_id(request_t *req, model_query_t *q, const json_t *value) {
    return tag_filter_by_id(req, q, value, "query");
}
