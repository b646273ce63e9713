/* SQL for the generic model engine: builds parameterised SELECTs over a
 * model (filters with Flask-AppBuilder's operator codes, ordering, paging)
 * whose rows come back as JSON objects, with many-to-one relations as
 * nested objects and many-to-many relations as arrays, values formatted as
 * FAB serialises them. A fetch selects the page's rows first and decorates
 * only those (many-to-many arrays are one aggregate per relation over the
 * page); plain values are read from their cells, the rest from PostgreSQL's
 * JSON.
 *
 * Values are always bound parameters; identifiers come only from the static
 * model declarations and are quoted. Everything is allocated on the query's
 * arena. */
#ifndef LITESET_PERSISTENCE_MODEL_QUERY_H
#define LITESET_PERSISTENCE_MODEL_QUERY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/strbuf.h"
#include "persistence/model.h"
#include "persistence/pg.h"

#define MQ_MAX_PARAMS 256

typedef struct model_query {
    arena_t *arena;
    const model_t *model;
    strbuf_t where;          /* ANDed conditions, "" when none */
    const char *params[MQ_MAX_PARAMS];
    int nparams;
    const char *order_expr;  /* NULL: no ORDER BY */
    bool order_desc;
    int64_t limit;           /* < 0: no LIMIT */
    int64_t offset;
} model_query_t;

void mq_init(model_query_t *q, arena_t *a, const model_t *m);
/* Adds a bound parameter; returns its "$n" placeholder (arena). */
const char *mq_param(model_query_t *q, const char *value);
/* ANDs a SQL condition (built from placeholders and declared identifiers). */
void mq_where(model_query_t *q, const char *cond);

typedef enum {
    MQ_FILTER_OK,
    MQ_FILTER_SKIPPED,      /* FAB ignores it (e.g. gt with an uncoercible value) */
    MQ_FILTER_BAD_COLUMN,   /* not a column or relation of the model */
    MQ_FILTER_BAD_OPERATOR, /* operator not offered for this column */
    MQ_FILTER_BAD_VALUE,    /* value type FAB fails on (the reference answers 500) */
} mq_filter_result_t;

/* Known FAB operator codes (rest-api.md §1.11). */
bool mq_is_fab_operator(const char *opr);
/* Operators offered for a column, in FAB's order; NULL-terminated static list. */
const char *const *mq_operators_for(const model_t *m, const char *col);
/* Adds one filter {col, opr, value}. */
mq_filter_result_t mq_filter(model_query_t *q, const char *col, const char *opr, const json_t *value);

/* SQL expression for a plain column or a many-to-one "rel.col" (alias t),
 * usable in ORDER BY; NULL for unknown or to-many columns. */
const char *mq_column_sql(model_query_t *q, const char *col);
bool mq_order_by(model_query_t *q, const char *col, bool desc);

/* Runs SELECT count(*). -1 on error. */
int64_t mq_count(model_query_t *q, pg_pool_t *pg, pg_error_t *err);
/* Runs the select for the given API columns (plain, "rel.col", bare
 * relation names); returns a JSON array of row objects (caller owns) and the
 * primary keys in *ids (new array, caller owns). NULL on error. */
json_t *mq_fetch(model_query_t *q, pg_pool_t *pg, const char *const *cols, size_t ncols, json_t **ids,
                 pg_error_t *err);

#endif
