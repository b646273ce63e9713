/* SQL building for the generic model engine; see model_query.h. */
#include "persistence/model_query.h"

#include "lib/cron.h"
#include "lib/humanize.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- identifiers and values ---- */

/* Declared identifiers are plain snake_case; quote them anyway so a keyword
 * (e.g. "position") can never break the statement. */
static const char *qi(arena_t *a, const char *ident) { return arena_sprintf(a, "\"%s\"", ident); }

void mq_init(model_query_t *q, arena_t *a, const model_t *m) {
    memset(q, 0, sizeof *q);
    q->arena = a;
    q->model = m;
    q->limit = -1;
    strbuf_init_arena(&q->where, a, 256);
}

const char *mq_param(model_query_t *q, const char *value) {
    if (q->nparams == MQ_MAX_PARAMS) return "NULL"; /* bounded by the filter count check upstream */
    q->params[q->nparams++] = value;
    return arena_sprintf(q->arena, "$%d", q->nparams);
}

void mq_where(model_query_t *q, const char *cond) {
    strbuf_puts(&q->where, q->where.len ? " AND (" : "(");
    strbuf_puts(&q->where, cond);
    strbuf_putc(&q->where, ')');
}

/* How a column of the given type appears in JSON: FAB/marshmallow formats. */
static const char *json_value_sql(arena_t *a, const char *expr, col_type_t type) {
    switch (type) {
    case COL_DATETIME:
        return arena_sprintf(a,
                             "CASE WHEN %s IS NULL THEN NULL WHEN extract(microseconds FROM %s)::bigint %% 1000000 = 0"
                             " THEN to_char(%s, 'YYYY-MM-DD\"T\"HH24:MI:SS')"
                             " ELSE to_char(%s, 'YYYY-MM-DD\"T\"HH24:MI:SS.US') END",
                             expr, expr, expr, expr);
    case COL_DATE: return arena_sprintf(a, "to_char(%s, 'YYYY-MM-DD')", expr);
    case COL_UUID: return arena_sprintf(a, "%s::text", expr);
    default: return expr;
    }
}

/* ---- operators ---- */

static const char *const OPS_M2O[] = {"rel_o_m", "nrel_o_m", NULL};
static const char *const OPS_M2M[] = {"rel_m_m", NULL};
static const char *const OPS_TEXT[] = {"sw", "ew", "ct", "eq", "nsw", "new", "nct", "neq", "in", "not_in", NULL};
static const char *const OPS_NUMBER[] = {"eq", "gt", "lt", "neq", "in", "not_in", NULL};
static const char *const OPS_DATE[] = {"eq", "gt", "lt", "neq", NULL};
static const char *const OPS_EQ[] = {"eq", "neq", NULL};

static const char *const FAB_OPERATORS[] = {"eq", "neq", "gt", "lt", "sw", "nsw", "ew", "new", "ct", "nct",
                                            "in", "not_in", "rel_o_m", "nrel_o_m", "rel_m_m", "eqf", "inf", NULL};

bool mq_is_fab_operator(const char *opr) {
    for (const char *const *o = FAB_OPERATORS; *o; o++)
        if (!strcmp(*o, opr)) return true;
    return false;
}

static const char *const *ops_for_type(col_type_t t) {
    switch (t) {
    case COL_STRING:
    case COL_TEXT:
    case COL_UUID: return OPS_TEXT;
    case COL_INT:
    case COL_FLOAT: return OPS_NUMBER;
    case COL_DATETIME:
    case COL_DATE: return OPS_DATE;
    case COL_BOOL:
    case COL_ENUM: return OPS_EQ;
    }
    return OPS_EQ;
}

const char *const *mq_operators_for(const model_t *m, const char *col) {
    const model_rel_t *r = model_rel(m, col);
    if (r) return r->kind == REL_MANY_TO_ONE ? OPS_M2O : OPS_M2M;
    const model_col_t *c = model_col(m, col);
    return c ? ops_for_type(c->type) : NULL;
}

static bool offered(const char *const *ops, const char *opr) {
    for (; ops && *ops; ops++)
        if (!strcmp(*ops, opr)) return true;
    return false;
}

/* Scalar JSON value as text, or NULL for arrays/objects/null. */
static const char *scalar_text(arena_t *a, const json_t *v) {
    if (json_is_string(v)) return json_string_value(v);
    if (json_is_integer(v)) return arena_sprintf(a, "%lld", (long long)json_integer_value(v));
    if (json_is_real(v)) return arena_sprintf(a, "%.17g", json_real_value(v));
    if (json_is_true(v)) return "true";
    if (json_is_false(v)) return "false";
    return NULL;
}

/* FAB's set_value_to_type: the value as the column's type, NULL when it
 * does not coerce (FAB then compares with NULL or skips). */
static const char *coerce(arena_t *a, col_type_t t, const json_t *v) {
    const char *s = scalar_text(a, v);
    if (!s) return NULL;
    char *end;
    switch (t) {
    case COL_INT: {
        if (json_is_true(v)) return "1";
        if (json_is_false(v)) return "0";
        if (json_is_real(v)) return arena_sprintf(a, "%lld", (long long)json_real_value(v));
        long long x = strtoll(s, &end, 10);
        while (isspace((unsigned char)*end)) end++;
        return *s && !*end ? arena_sprintf(a, "%lld", x) : NULL;
    }
    case COL_FLOAT: {
        double d = strtod(s, &end);
        return *s && !*end ? arena_sprintf(a, "%.17g", d) : NULL;
    }
    case COL_BOOL:
        if (json_is_string(v)) return !strcmp(s, "y") ? "true" : s;
        return s;
    case COL_DATETIME:
    case COL_DATE: {
        /* lenient: accept what PostgreSQL's timestamp input accepts for ISO-like text */
        if (!json_is_string(v) || strlen(s) < 4 || !isdigit((unsigned char)s[0])) return NULL;
        for (const char *p = s; *p; p++)
            if (!isdigit((unsigned char)*p) && !strchr("-:T .+Z", *p)) return NULL;
        return s;
    }
    default: return s;
    }
}

static const char *type_cast(col_type_t t) {
    switch (t) {
    case COL_INT: return "::bigint";
    case COL_FLOAT: return "::float8";
    case COL_BOOL: return "::boolean";
    case COL_DATETIME: return "::timestamp";
    case COL_DATE: return "::date";
    case COL_UUID: return "::uuid";
    default: return "";
    }
}

static mq_filter_result_t filter_relation(model_query_t *q, const model_rel_t *r, const char *opr, const json_t *v) {
    const model_t *m = q->model;
    const model_t *tm = r->target;
    if (r->kind == REL_MANY_TO_ONE) {
        const char *id = coerce(q->arena, COL_INT, v);
        /* an unknown pk compares with NULL: rows whose FK is NULL match */
        const char *p = id ? mq_param(q, id) : "NULL";
        const char *target = arena_sprintf(q->arena, "(SELECT x.%s FROM %s x WHERE x.%s = %s::bigint)", qi(q->arena, tm->pk),
                                           qi(q->arena, tm->table), qi(q->arena, tm->pk), p);
        const char *fk = arena_sprintf(q->arena, "t.%s", qi(q->arena, r->fk));
        if (!strcmp(opr, "rel_o_m"))
            mq_where(q, arena_sprintf(q->arena, "%s IS NOT DISTINCT FROM %s", fk, target));
        else
            mq_where(q, arena_sprintf(q->arena, "%s IS DISTINCT FROM %s", fk, target));
        return MQ_FILTER_OK;
    }
    const json_t *vals = v;
    json_t *single = NULL;
    if (!json_is_array(v)) vals = single = json_pack("[O]", v);
    size_t i;
    const json_t *item;
    json_array_foreach(vals, i, item) {
        const char *id = coerce(q->arena, COL_INT, item);
        if (!id) continue; /* unknown pk: filter skipped */
        const char *p = mq_param(q, id);
        mq_where(q, arena_sprintf(q->arena,
                                  "EXISTS (SELECT 1 FROM %s l WHERE l.%s = t.%s AND l.%s = %s::bigint%s)"
                                  " OR NOT EXISTS (SELECT 1 FROM %s x WHERE x.%s = %s::bigint)",
                                  qi(q->arena, r->link_table), qi(q->arena, r->link_self), qi(q->arena, m->pk),
                                  qi(q->arena, r->link_other), p, model_link_cond(m, r), qi(q->arena, tm->table),
                                  qi(q->arena, tm->pk), p));
    }
    json_decref(single);
    return MQ_FILTER_OK;
}

static const struct {
    const char *opr;
    const char *fmt; /* %1$s column, %2$s placeholder */
    const char *pattern; /* how the value becomes an ILIKE pattern, or NULL */
} pattern_ops[] = {
    {"sw", "%s ILIKE %s", "%s%%"},          {"nsw", "NOT %s ILIKE %s", "%s%%"},
    {"ew", "%s ILIKE %s", "%%%s"},          {"new", "NOT %s ILIKE %s", "%%%s"},
    {"ct", "%s ILIKE %s", "%%%s%%"},        {"nct", "NOT %s ILIKE %s", "%%%s%%"},
};

static mq_filter_result_t filter_scalar(model_query_t *q, const model_col_t *c, const char *col_sql, const char *opr,
                                        const json_t *v) {
    arena_t *a = q->arena;
    for (size_t i = 0; i < sizeof pattern_ops / sizeof pattern_ops[0]; i++) {
        if (strcmp(pattern_ops[i].opr, opr)) continue;
        if (!json_is_string(v)) return MQ_FILTER_BAD_VALUE; /* FAB concatenates strings only */
        const char *pat = arena_sprintf(a, pattern_ops[i].pattern, json_string_value(v));
        mq_where(q, arena_sprintf(a, pattern_ops[i].fmt, arena_sprintf(a, "%s::text", col_sql), mq_param(q, pat)));
        return MQ_FILTER_OK;
    }
    if (!strcmp(opr, "in") || !strcmp(opr, "not_in")) {
        strbuf_t list;
        strbuf_init_arena(&list, a, 64);
        const json_t *vals = v;
        json_t *single = NULL;
        if (!json_is_array(v)) vals = single = json_pack("[O]", v);
        size_t i;
        const json_t *item;
        json_array_foreach(vals, i, item) {
            const char *x = coerce(a, c->type, item);
            if (list.len) strbuf_puts(&list, ", ");
            strbuf_puts(&list, x ? arena_sprintf(a, "%s%s", mq_param(q, x), type_cast(c->type)) : "NULL");
        }
        json_decref(single);
        if (!list.len) strbuf_puts(&list, "NULL");
        mq_where(q, arena_sprintf(a, "%s%s IN (%s)", strcmp(opr, "in") ? "NOT " : "", col_sql, list.data));
        return MQ_FILTER_OK;
    }
    const char *x = coerce(a, c->type, v);
    const char *cast = type_cast(c->type);
    if (!strcmp(opr, "eq")) {
        mq_where(q, x ? arena_sprintf(a, "%s = %s%s", col_sql, mq_param(q, x), cast)
                      : arena_sprintf(a, "%s IS NULL", col_sql));
        return MQ_FILTER_OK;
    }
    if (!strcmp(opr, "neq")) {
        mq_where(q, x ? arena_sprintf(a, "%s != %s%s", col_sql, mq_param(q, x), cast)
                      : arena_sprintf(a, "%s IS NOT NULL", col_sql));
        return MQ_FILTER_OK;
    }
    if (!strcmp(opr, "gt") || !strcmp(opr, "lt")) {
        if (!x) return MQ_FILTER_SKIPPED;
        mq_where(q, arena_sprintf(a, "%s %s %s%s", col_sql, opr[0] == 'g' ? ">" : "<", mq_param(q, x), cast));
        return MQ_FILTER_OK;
    }
    return MQ_FILTER_BAD_OPERATOR;
}

mq_filter_result_t mq_filter(model_query_t *q, const char *col, const char *opr, const json_t *value) {
    const char *const *ops = mq_operators_for(q->model, col);
    if (!ops) return MQ_FILTER_BAD_COLUMN;
    if (!offered(ops, opr)) return MQ_FILTER_BAD_OPERATOR;
    const model_rel_t *r = model_rel(q->model, col);
    if (r) return filter_relation(q, r, opr, value);
    const model_col_t *c = model_col(q->model, col);
    const char *col_sql = arena_sprintf(q->arena, "t.%s", qi(q->arena, c->name));
    /* A non-`in` filter whose value is an array applies once per element. */
    if (json_is_array(value) && strcmp(opr, "in") && strcmp(opr, "not_in")) {
        size_t i;
        const json_t *item;
        json_array_foreach(value, i, item) {
            mq_filter_result_t res = filter_scalar(q, c, col_sql, opr, item);
            if (res == MQ_FILTER_BAD_VALUE) return res;
        }
        return MQ_FILTER_OK;
    }
    return filter_scalar(q, c, col_sql, opr, value);
}

/* ---- columns ---- */

const char *mq_column_sql(model_query_t *q, const char *col) {
    arena_t *a = q->arena;
    const char *dot = strchr(col, '.');
    if (!dot) {
        const model_computed_t *mc = model_computed(q->model, col);
        if (mc && mc->renders) col = mc->renders; /* @renders: order by the underlying column */
        const model_col_t *c = model_col(q->model, col);
        return c ? arena_sprintf(a, "t.%s", qi(a, c->name)) : NULL;
    }
    char *rel = arena_strndup(a, col, (size_t)(dot - col));
    const model_rel_t *r = model_rel(q->model, rel);
    if (!r || r->kind != REL_MANY_TO_ONE) return NULL;
    const model_col_t *tc = model_col(r->target, dot + 1);
    if (!tc) return NULL;
    return arena_sprintf(a, "(SELECT x.%s FROM %s x WHERE x.%s = t.%s)", qi(a, tc->name), qi(a, r->target->table),
                         qi(a, r->target->pk), qi(a, r->fk));
}

bool mq_order_by(model_query_t *q, const char *col, bool desc) {
    const char *sql = mq_column_sql(q, col);
    if (!sql) return false;
    q->order_expr = sql;
    q->order_desc = desc;
    return true;
}

static const char *where_clause(model_query_t *q) {
    return q->where.len ? arena_sprintf(q->arena, " WHERE %s", q->where.data) : "";
}

int64_t mq_count(model_query_t *q, pg_pool_t *pg, pg_error_t *err) {
    const char *sql = arena_sprintf(q->arena, "SELECT count(*) FROM %s t%s", qi(q->arena, q->model->table),
                                    where_clause(q));
    pg_result_t *r = pg_query(pg, q->arena, err, sql, q->nparams, q->params);
    return r ? pg_get_int(r, 0, 0, -1) : -1;
}

/* A many-to-many value built set-based: one aggregate over the link table
 * for all the rows of the page (mq_page, see mq_fetch), LEFT JOINed on the
 * row's key, instead of one correlated subquery per row. Appends the join to
 * *joins and returns the value expression. elem is the array element
 * (over link alias l and, with_target, target alias x); elements are
 * ordered by the target's key, as before. */
static const char *to_many_join(model_query_t *q, strbuf_t *joins, const model_rel_t *r, const char *elem,
                                bool with_target) {
    arena_t *a = q->arena;
    const model_t *m = q->model;
    const char *alias = arena_sprintf(a, "\"mq_r%zu\"", joins->len); /* unique: the buffer only grows */
    const char *target_join = with_target ? arena_sprintf(a, " JOIN %s x ON x.%s = l.%s", qi(a, r->target->table),
                                                          qi(a, r->target->pk), qi(a, r->link_other))
                                          : "";
    strbuf_printf(joins,
                  " LEFT JOIN (SELECT l.%s AS k, json_agg(%s ORDER BY l.%s) AS v FROM %s l%s"
                  " WHERE l.%s IN (SELECT %s FROM mq_page)%s GROUP BY l.%s) %s ON %s.k = t.%s",
                  qi(a, r->link_self), elem, qi(a, r->link_other), qi(a, r->link_table), target_join,
                  qi(a, r->link_self), qi(a, m->pk), model_link_cond(m, r), qi(a, r->link_self), alias, alias,
                  qi(a, m->pk));
    return arena_sprintf(a, "coalesce(%s.v, '[]'::json)", alias);
}

/* One value of a row object: its key, its SQL (over alias t) and how the
 * result cell becomes JSON. A value cell is converted by its result type
 * the way json_build_object formats it (text, integers, booleans, numbers,
 * json); a column type with no such rule (e.g. a PostgreSQL enum) is
 * selected as the one element of json_build_array, which formats a value
 * exactly as json_build_object does. */
typedef enum { CELL_VALUE, CELL_JSON_ELEMENT } cell_kind_t;

typedef struct cell {
    const char *key;
    const char *sql; /* the value as json_build_object would take it */
    cell_kind_t kind;
} cell_t;

static cell_kind_t kind_of_col(col_type_t t) {
    switch (t) {
    case COL_INT:
    case COL_BOOL:
    case COL_STRING:
    case COL_TEXT:
    case COL_DATETIME: /* json_value_sql formats these as text */
    case COL_DATE:
    case COL_UUID: return CELL_VALUE;
    default: return CELL_JSON_ELEMENT;
    }
}

/* What the cell query selects for a cell. */
static const char *cell_select_sql(arena_t *a, const cell_t *c) {
    return c->kind == CELL_JSON_ELEMENT ? arena_sprintf(a, "json_build_array(%s)", c->sql) : c->sql;
}

/* The row's values for the requested columns, in the order the object is
 * built: plain columns, "rel.col" groups (one nested object / array per
 * relation, at the group's first column), bare relations (pk or pk list). */
static cell_t *row_cells(model_query_t *q, const char *const *cols, size_t n, strbuf_t *joins, size_t *ncells) {
    arena_t *a = q->arena;
    const model_t *m = q->model;
    cell_t *cells = arena_calloc(a, n ? n : 1, sizeof *cells);
    size_t k = 0;
    bool *done = arena_calloc(a, n ? n : 1, sizeof *done);
    for (size_t i = 0; i < n; i++) {
        if (done[i]) continue;
        const char *col = cols[i];
        const char *dot = strchr(col, '.');
        cell_t *c = &cells[k++];
        if (!dot) {
            const model_col_t *mcol = model_col(m, col);
            const model_rel_t *r = mcol ? NULL : model_rel(m, col);
            const model_computed_t *mc = mcol || r ? NULL : model_computed(m, col);
            c->key = col;
            c->kind = CELL_VALUE;
            if (mc) {
                c->sql = arena_sprintf(a, "(%s)", mc->sql);
            } else if (mcol) {
                c->kind = kind_of_col(mcol->type);
                c->sql = json_value_sql(a, arena_sprintf(a, "t.%s", qi(a, mcol->name)), mcol->type);
            } else if (r && r->kind == REL_MANY_TO_ONE) {
                c->sql = arena_sprintf(a, "t.%s", qi(a, r->fk));
            } else if (r) {
                c->sql = to_many_join(q, joins, r, arena_sprintf(a, "l.%s", qi(a, r->link_other)), false);
            } else {
                c->sql = "NULL::json";
            }
            continue;
        }
        /* gather every requested column of this relation */
        size_t rlen = (size_t)(dot - col);
        char *rel = arena_strndup(a, col, rlen);
        const model_rel_t *r = model_rel(m, rel);
        strbuf_t inner;
        strbuf_init_arena(&inner, a, 128);
        for (size_t j = i; j < n; j++) {
            if (strncmp(cols[j], col, rlen + 1)) continue;
            done[j] = true;
            const char *field = cols[j] + rlen + 1;
            const model_col_t *tc = r ? model_col(r->target, field) : NULL;
            /* a computed column of the target (alias t in its SQL) is read for the row x */
            const model_computed_t *tmc = r && !tc ? model_computed(r->target, field) : NULL;
            if (!tc && (!tmc || tmc->format != COMPUTED_RAW)) continue;
            if (inner.len) strbuf_puts(&inner, ", ");
            if (tc)
                strbuf_printf(&inner, "'%s', %s", tc->name, json_value_sql(a, arena_sprintf(a, "x.%s", qi(a, tc->name)), tc->type));
            else
                strbuf_printf(&inner, "'%s', (SELECT %s FROM %s t WHERE t.%s = x.%s)", tmc->name, tmc->sql,
                              qi(a, r->target->table), qi(a, r->target->pk), qi(a, r->target->pk));
        }
        c->key = rel;
        c->kind = CELL_VALUE;
        if (!r || !inner.len) {
            c->sql = "NULL::json";
        } else if (r->kind == REL_MANY_TO_ONE) {
            c->sql = arena_sprintf(a, "(SELECT json_build_object(%s) FROM %s x WHERE x.%s = t.%s)", inner.data,
                                   qi(a, r->target->table), qi(a, r->target->pk), qi(a, r->fk));
        } else {
            c->sql = to_many_join(q, joins, r, arena_sprintf(a, "json_build_object(%s)", inner.data), true);
        }
    }
    *ncells = k;
    return cells;
}

/* Values PostgreSQL cannot format the way Python does (humanized deltas, cron
 * descriptions, JSON text parsed leniently). */
static void format_computed(model_query_t *q, json_t *row, const char *const *cols, size_t ncols) {
    for (size_t i = 0; i < ncols; i++) {
        const model_computed_t *mc = model_computed(q->model, cols[i]);
        json_t *v = mc ? json_object_get(row, cols[i]) : NULL;
        if (!v) continue;
        if (mc->format == COMPUTED_HUMANIZE_AGO && json_is_number(v)) /* NULL timestamps stay null */
            json_object_set_new(row, cols[i], json_string(humanize_naturaltime(q->arena, json_number_value(v))));
        if (mc->format == COMPUTED_CRON_HUMANIZED && json_is_string(v))
            json_object_set_new(row, cols[i], json_string(cron_describe(q->arena, json_string_value(v))));
        if (mc->format == COMPUTED_JSON_OBJECT) {
            json_t *parsed = json_is_string(v) ? json_loads(json_string_value(v), JSON_DECODE_ANY, NULL) : NULL;
            json_object_set_new(row, cols[i], parsed ? parsed : json_object());
        }
    }
}

/* PostgreSQL type oids (pg_type.dat) and how json_build_object formats
 * their values. */
typedef enum { FMT_NONE, FMT_STRING, FMT_INT, FMT_BOOL, FMT_NUMBER, FMT_JSON } value_format_t;

static const struct {
    unsigned oid;
    value_format_t format;
} oid_formats[] = {
    {25, FMT_STRING},  {1043, FMT_STRING}, {1042, FMT_STRING}, {19, FMT_STRING}, /* text varchar bpchar name */
    {20, FMT_INT},     {21, FMT_INT},      {23, FMT_INT},                        /* int8 int2 int4 */
    {16, FMT_BOOL},                                                              /* bool */
    {700, FMT_NUMBER}, {701, FMT_NUMBER},  {1700, FMT_NUMBER},                   /* float4 float8 numeric */
    {114, FMT_JSON},   {3802, FMT_JSON},                                         /* json jsonb */
};

static value_format_t format_of(unsigned oid, cell_kind_t kind) {
    if (kind == CELL_JSON_ELEMENT) return oid == 114 ? FMT_JSON : FMT_NONE;
    for (size_t i = 0; i < sizeof oid_formats / sizeof oid_formats[0]; i++)
        if (oid_formats[i].oid == oid) return oid_formats[i].format;
    return FMT_NONE;
}

/* A number as json_build_object writes it (the text as is; NaN and the
 * infinities quoted) read back as a JSON parser would: integral text as an
 * integer, anything with a fraction or exponent as a real. */
static json_t *number_json(const char *v) {
    if (!strcmp(v, "NaN") || !strcmp(v, "Infinity") || !strcmp(v, "-Infinity")) return json_string(v);
    char *end;
    if (strpbrk(v, ".eE")) {
        double d = strtod(v, &end);
        return *end ? NULL : json_real(d);
    }
    errno = 0;
    long long x = strtoll(v, &end, 10);
    return *end || errno ? NULL : json_integer(x);
}

static json_t *cell_json(const pg_result_t *r, int row, int col, value_format_t format, cell_kind_t kind) {
    const char *v = pg_get(r, row, col);
    if (!v) return json_null();
    if (kind == CELL_JSON_ELEMENT) {
        json_t *array = json_loads(v, 0, NULL);
        json_t *elem = json_incref(json_array_get(array, 0));
        json_decref(array);
        return elem;
    }
    switch (format) {
    case FMT_STRING: return json_string(v); /* NULL for text that is not UTF-8 */
    case FMT_INT: {
        char *end;
        errno = 0;
        long long x = strtoll(v, &end, 10);
        return *end || errno ? NULL : json_integer(x);
    }
    case FMT_BOOL: return json_boolean(v[0] == 't');
    case FMT_NUMBER: return number_json(v);
    case FMT_JSON: return json_loads(v, JSON_DECODE_ANY, NULL);
    case FMT_NONE: break;
    }
    return NULL;
}

/* Row objects from a result of (pk, cell...) columns; NULL when a cell's
 * type or value is not what its kind expects (the caller then lets
 * PostgreSQL build whole objects instead). */
static json_t *rows_from_cells(model_query_t *q, const pg_result_t *r, const cell_t *cells, size_t ncells,
                               const char *const *cols, size_t ncols) {
    value_format_t *formats = arena_calloc(q->arena, ncells ? ncells : 1, sizeof *formats);
    for (size_t c = 0; c < ncells; c++) {
        formats[c] = format_of(pg_ftype(r, (int)c + 1), cells[c].kind);
        if (formats[c] == FMT_NONE) return NULL;
    }
    json_t *rows = json_array();
    for (int i = 0; i < pg_nrows(r); i++) {
        json_t *row = json_object();
        for (size_t c = 0; c < ncells; c++) {
            json_t *v = cell_json(r, i, (int)c + 1, formats[c], cells[c].kind);
            if (!v) {
                json_decref(row);
                json_decref(rows);
                return NULL;
            }
            json_object_set_new(row, cells[c].key, v);
        }
        format_computed(q, row, cols, ncols);
        json_array_append_new(rows, row);
    }
    return rows;
}

/* Row objects built by PostgreSQL (json_build_object) and parsed whole. */
static json_t *rows_from_objects(model_query_t *q, const pg_result_t *r, const char *const *cols, size_t ncols) {
    json_t *rows = json_array();
    for (int i = 0; i < pg_nrows(r); i++) {
        json_t *row = json_loads(pg_get(r, i, 1), JSON_DECODE_ANY, NULL);
        if (!row) row = json_object();
        format_computed(q, row, cols, ncols);
        json_array_append_new(rows, row);
    }
    return rows;
}

json_t *mq_fetch(model_query_t *q, pg_pool_t *pg, const char *const *cols, size_t ncols, json_t **ids,
                 pg_error_t *err) {
    arena_t *a = q->arena;
    const model_t *m = q->model;
    /* The page's rows are selected first (filters, order, LIMIT/OFFSET) and
     * only they are decorated: relations, computed columns, JSON. The outer
     * query repeats the order (or the scan order, numbered) since joins may
     * reorder rows. */
    const char *dir = q->order_desc ? "DESC" : "ASC";
    const char *order = q->order_expr ? arena_sprintf(a, " ORDER BY %s %s, t.%s %s", q->order_expr, dir, qi(a, m->pk), dir)
                                      : "";
    strbuf_t page, joins, values, object;
    strbuf_init_arena(&page, a, 512);
    strbuf_init_arena(&joins, a, 256);
    strbuf_init_arena(&values, a, 1024);
    strbuf_init_arena(&object, a, 1024);
    strbuf_printf(&page, "WITH mq_page AS MATERIALIZED (SELECT t.*%s FROM %s t%s%s",
                  q->order_expr ? "" : ", row_number() OVER () AS mq_n", qi(a, m->table), where_clause(q), order);
    if (q->limit >= 0) strbuf_printf(&page, " LIMIT %lld", (long long)q->limit);
    if (q->offset) strbuf_printf(&page, " OFFSET %lld", (long long)q->offset);
    size_t ncells;
    cell_t *cells = row_cells(q, cols, ncols, &joins, &ncells);
    for (size_t c = 0; c < ncells; c++) {
        strbuf_printf(&values, ", %s", cell_select_sql(a, &cells[c]));
        strbuf_printf(&object, "%s'%s', %s", c ? ", " : "", cells[c].key, cells[c].sql);
    }
    const char *tail = arena_sprintf(a, " FROM mq_page t%s%s", joins.len ? joins.data : "",
                                     q->order_expr ? order : " ORDER BY t.mq_n");
    pg_result_t *r = pg_query(pg, a, err, arena_sprintf(a, "%s) SELECT t.%s%s%s", page.data, qi(a, m->pk),
                                                        values.len ? values.data : "", tail),
                              q->nparams, q->params);
    if (!r) return NULL;
    json_t *rows = rows_from_cells(q, r, cells, ncells, cols, ncols);
    if (!rows) {
        r = pg_query(pg, a, err, arena_sprintf(a, "%s) SELECT t.%s, json_build_object(%s)::text%s", page.data,
                                               qi(a, m->pk), object.len ? object.data : "", tail),
                     q->nparams, q->params);
        if (!r) return NULL;
        rows = rows_from_objects(q, r, cols, ncols);
    }
    *ids = json_array();
    for (int i = 0; i < pg_nrows(r); i++) json_array_append_new(*ids, json_integer(pg_get_int(r, i, 0, 0)));
    return rows;
}
