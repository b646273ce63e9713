/* Superset's built frontend as Liteset finds it: the static directory of a
 * Superset installation (superset/static), its webpack manifest
 * (assets/manifest.json: {"entrypoints": {"<entry>": {"js": [...], "css": [...]}}})
 * and the version it was built as (version_info.json, else assets/package.json).
 *
 * Where the directory comes from, first match wins:
 *   1. the LITESET_STATIC_DIR setting (superset_config.py or SUPERSET_LITESET_STATIC_DIR);
 *   2. the LITESET_STATIC_DIR environment variable;
 *   3. an installed `superset` Python package (active virtualenv, /app, the
 *      usual site-packages / dist-packages folders), found by path only.
 * An explicitly given directory is never replaced by a discovered one.
 *
 * The manifest is read once per process and again when the configuration is
 * reloaded or the file changes (checked at most once a second), which is the
 * equivalent of Superset reading it at start-up.
 *
 * Ownership: snapshots are reference-counted and immutable. A request holds
 * the snapshot it got until it ends, so a reload never frees data a
 * suspended fiber still points into. */
#ifndef LITESET_FCGI_SPA_MANIFEST_H
#define LITESET_FCGI_SPA_MANIFEST_H

#include <jansson.h>
#include <stdbool.h>

#include "config/config.h"
#include "fcgi/request.h"

typedef struct spa_manifest {
    int refs;
    char *static_dir;      /* resolved directory, NULL when none was found */
    const char *source;    /* where static_dir came from (static text) */
    bool ok;               /* manifest read and has a "spa" entry point */
    char *problem;         /* why not ok: one sentence for the help page */
    json_t *entrypoints;   /* the manifest's "entrypoints" object (owned), or NULL */
    char *version_string;  /* NULL when unknown */
    char *version_sha;     /* first 8 characters of GIT_SHA, or NULL */
    char *translations_dir; /* <static_dir>/../translations */
} spa_manifest_t;

/* Reads dir/assets/manifest.json and the version files into a new snapshot
 * (refs = 1). dir NULL gives a snapshot that explains nothing was found. */
spa_manifest_t *spa_manifest_load_dir(const char *dir, const char *source);
void spa_manifest_release(spa_manifest_t *m);

/* The process-wide snapshot for cfg (refs incremented; release it). */
spa_manifest_t *spa_manifest_acquire(const config_t *cfg);
/* Same, held by the request until it ends. */
const spa_manifest_t *spa_manifest(request_t *req);

/* Webpack bundle resolution as Superset's UIManifestProcessor: calls emit for
 * each JS file of entry, in manifest order, skipping files already in seen
 * (a JSON object used as a set, updated). Unknown entry: nothing. */
void spa_manifest_js(const spa_manifest_t *m, const char *entry, json_t *seen,
                     void (*emit)(void *ud, const char *path), void *ud);

#endif
