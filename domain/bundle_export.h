/* Export of v1 asset bundles (Superset's ExportModelsCommand subclasses and
 * ExportAssetsCommand): every requested object as a YAML file with the
 * reference's file names, key order and related objects (a chart brings its
 * dataset and database, a dashboard its charts, ...), metadata.yaml first,
 * each file name once. Runs on a fiber.
 * Ownership: files is filled with {bundle-relative name: YAML text}. */
#ifndef LITESET_DOMAIN_BUNDLE_EXPORT_H
#define LITESET_DOMAIN_BUNDLE_EXPORT_H

#include <jansson.h>
#include <stdbool.h>

#include "lib/arena.h"
#include "persistence/pg.h"

typedef enum {
    EXPORT_DASHBOARDS,
    EXPORT_CHARTS,
    EXPORT_DATASETS,
    EXPORT_DATABASES,
    EXPORT_SAVED_QUERIES,
    EXPORT_ASSETS, /* everything, without related objects */
    EXPORT_THEMES,
} export_command_t;

/* ids: JSON array of integer ids (ignored for assets), already checked to
 * exist. timestamp: metadata.yaml's UTC ISO time. False on a database error. */
bool bundle_export(pg_pool_t *pg, arena_t *a, export_command_t cmd, const json_t *ids, const char *timestamp,
                   const char *secret_key, json_t *files);

/* werkzeug's secure_filename: ASCII letters, digits, '_', '.', '-' only,
 * whitespace runs to '_', accents folded, leading/trailing '._' stripped. */
char *bundle_secure_filename(arena_t *a, const char *name);

#endif
