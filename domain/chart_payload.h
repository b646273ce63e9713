/* What explore sends about a saved chart: Slice.form_data (the stored
 * params with slice_id, viz_type, datasource and cache_timeout applied),
 * Slice.data, and the explore "metadata" block (humanized dates, owner,
 * creator and editor names, dashboards). */
#ifndef LITESET_DOMAIN_CHART_PAYLOAD_H
#define LITESET_DOMAIN_CHART_PAYLOAD_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/arena.h"
#include "persistence/pg.h"

typedef struct chart_payload {
    json_t *form_data; /* Slice.form_data */
    json_t *data;      /* Slice.data */
    json_t *metadata;  /* explore's metadata */
} chart_payload_t;

/* Fills out (new references, caller owns) for chart id. False with *found
 * false when there is no such chart, false with *found true on a database
 * error. */
bool chart_payload_load(pg_pool_t *pg, arena_t *a, int64_t id, chart_payload_t *out, bool *found, pg_error_t *err);
void chart_payload_clear(chart_payload_t *p);

/* Superset's markdown() for plain text: blank-line separated paragraphs,
 * escaped and wrapped in <p>; "" for an empty text. */
char *chart_markdown_text(arena_t *a, const char *raw);

#endif
