/* Shared filter pieces; see common_filters.h. */
#include "fcgi/api/common_filters.h"

#include "domain/security.h"
#include "fcgi/app.h"
#include "lib/strbuf.h"

const char *filter_user_param(request_t *req, model_query_t *q) {
    int64_t id = req->user && !req->user->is_guest ? req->user->id : 0;
    return mq_param(q, arena_sprintf(q->arena, "%lld", (long long)id));
}

const char *filter_roles_param(request_t *req, model_query_t *q) {
    strbuf_t sb;
    strbuf_init_arena(&sb, q->arena, 64);
    strbuf_putc(&sb, '[');
    if (req->user) {
        for (int i = 0; i < req->user->nroles; i++)
            strbuf_printf(&sb, "%s%lld", i ? "," : "", (long long)req->user->roles[i].id);
    } else {
        int64_t pub = security_role_id(app_security(req->app), config_str(req->cfg, "AUTH_ROLE_PUBLIC", "Public"));
        if (pub) strbuf_printf(&sb, "%lld", (long long)pub);
    }
    strbuf_putc(&sb, ']');
    return mq_param(q, sb.data);
}

bool filter_truthy(const json_t *v) {
    if (json_is_boolean(v)) return json_is_true(v);
    if (json_is_integer(v)) return json_integer_value(v) != 0;
    if (json_is_real(v)) return json_real_value(v) != 0;
    if (json_is_string(v)) return json_string_length(v) > 0;
    if (json_is_array(v)) return json_array_size(v) > 0;
    if (json_is_object(v)) return json_object_size(v) > 0;
    return false;
}

mq_filter_result_t filter_favorite(request_t *req, model_query_t *q, const json_t *value, const char *class_name) {
    if (!req->user) return MQ_FILTER_OK; /* anonymous: no filtering */
    const char *in = arena_sprintf(q->arena,
                                   "t.id IN (SELECT f.obj_id FROM favstar f WHERE f.class_name = %s"
                                   " AND f.user_id = %s::int AND f.obj_id IS NOT NULL)",
                                   mq_param(q, class_name), filter_user_param(req, q));
    mq_where(q, filter_truthy(value) ? in : arena_sprintf(q->arena, "NOT %s", in));
    return MQ_FILTER_OK;
}

mq_filter_result_t filter_created_by_me(request_t *req, model_query_t *q, const json_t *value) {
    (void)value;
    mq_where(q, arena_sprintf(q->arena, "t.created_by_fk = %1$s::int OR t.changed_by_fk = %1$s::int",
                              filter_user_param(req, q)));
    return MQ_FILTER_OK;
}

mq_filter_result_t filter_has_created_by(request_t *req, model_query_t *q, const json_t *value) {
    (void)req;
    if (json_is_true(value)) mq_where(q, "t.created_by_fk IS NOT NULL");
    else if (json_is_false(value)) mq_where(q, "t.created_by_fk IS NULL");
    else return MQ_FILTER_SKIPPED;
    return MQ_FILTER_OK;
}
