/* The JSON side of copying a dashboard (DashboardDAO.copy_dashboard and
 * set_dash_metadata): chart ids in the layout, their remapping to
 * duplicated charts, chart uuids, and the json_metadata of the copy.
 * Pure functions over jansson values; every "false" or NULL result is a
 * case where the reference raises (the caller answers 500). */
#ifndef LITESET_DOMAIN_DASHBOARD_COPY_H
#define LITESET_DOMAIN_DASHBOARD_COPY_H

#include <stdbool.h>

#include <jansson.h>

/* Replaces every truthy meta.chartId of the layout's objects by its entry in
 * old_to_new ({"<old id>": new id}), null when it has none. */
bool dash_copy_remap_charts(json_t *positions, const json_t *old_to_new);

/* The meta.chartId of each object of the layout (null where none), in
 * order: Python's slice_ids. NULL when a node's meta is not an object. */
json_t *dash_copy_chart_ids(const json_t *positions);

/* The integer ids among chart_ids (what the slices query can match), or
 * NULL when one is neither a number, a numeric string nor null. */
json_t *dash_copy_query_ids(const json_t *chart_ids);

/* Sets meta.uuid on every CHART node with a truthy chartId from uuids
 * ({"<id>": "uuid"}), null when unknown. */
bool dash_copy_set_uuids(json_t *positions, const json_t *uuids);

/* set_dash_metadata's new json_metadata: md is the original's metadata
 * (modified in place), data the request's metadata, chart_ids as above (or
 * NULL when data has no positions), old_to_new the duplicated charts (or
 * NULL). */
bool dash_copy_metadata(json_t *md, const json_t *data, const json_t *chart_ids, const json_t *old_to_new);

#endif
