/* Unit tests for fcgi/spa/manifest: reading a Superset static directory
 * written to a temporary folder (entry points, version files, the
 * translations folder next to it), every failure the help page explains,
 * bundle resolution with the per-render "already emitted" set, and the
 * choice of directory (setting, then environment variable). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fcgi/spa/manifest.h"

static char root[256];

static void write_file(const char *rel, const char *text) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    for (char *p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
        *p = '\0';
        mkdir(path, 0755);
        *p = '/';
    }
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

static void setup(void) {
    const char *tmp = getenv("TMPDIR");
    snprintf(root, sizeof root, "%s/liteset_spa_XXXXXX", tmp && *tmp ? tmp : "/tmp");
    cr_assert_not_null(mkdtemp(root));
    unsetenv("LITESET_STATIC_DIR");
}

static void teardown(void) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    cr_assert_eq(system(cmd), 0);
    unsetenv("LITESET_STATIC_DIR");
}

TestSuite(spa_manifest, .init = setup, .fini = teardown);

static const char *MANIFEST =
    "{\"app\": \"superset\", \"entrypoints\": {"
    "\"theme\": {\"css\": [], \"js\": [\"/static/assets/a.chunk.js\", \"/static/assets/theme.1.entry.js\"]},"
    "\"spa\": {\"css\": [\"/static/assets/spa.1.entry.css\"], \"js\": [\"/static/assets/a.chunk.js\","
    " \"/static/assets/b.chunk.js\", \"/static/assets/spa.1.entry.js\"]},"
    "\"embedded\": {\"css\": [], \"js\": [\"/static/assets/a.chunk.js\", \"/static/assets/embedded.1.entry.js\"]}}}";

static char *static_dir(void) {
    static char d[300];
    snprintf(d, sizeof d, "%s/superset/static", root);
    return d;
}

typedef struct {
    const char *files[16];
    int n;
} emitted_t;

static void collect(void *ud, const char *path) {
    emitted_t *e = ud;
    cr_assert_lt(e->n, 16);
    e->files[e->n++] = path;
}

Test(spa_manifest, reads_entrypoints_and_version) {
    write_file("superset/static/assets/manifest.json", MANIFEST);
    write_file("superset/static/version_info.json", "{\"version\": \"6.0.0\", \"GIT_SHA\": \"0123456789abcdef\"}");
    spa_manifest_t *m = spa_manifest_load_dir(static_dir(), "test");
    cr_assert(m->ok, "%s", m->problem ? m->problem : "");
    cr_assert_str_eq(m->version_string, "6.0.0");
    cr_assert_str_eq(m->version_sha, "01234567");
    char expect[400];
    snprintf(expect, sizeof expect, "%s/superset/translations", root);
    cr_assert_str_eq(m->translations_dir, expect);

    json_t *seen = json_object();
    emitted_t theme = {0}, spa = {0}, again = {0};
    spa_manifest_js(m, "theme", seen, collect, &theme);
    spa_manifest_js(m, "spa", seen, collect, &spa);
    spa_manifest_js(m, "spa", seen, collect, &again);
    cr_assert_eq(theme.n, 2);
    cr_assert_str_eq(theme.files[0], "/static/assets/a.chunk.js");
    cr_assert_str_eq(theme.files[1], "/static/assets/theme.1.entry.js");
    cr_assert_eq(spa.n, 2, "the chunk shared with theme is emitted once");
    cr_assert_str_eq(spa.files[0], "/static/assets/b.chunk.js");
    cr_assert_str_eq(spa.files[1], "/static/assets/spa.1.entry.js");
    cr_assert_eq(again.n, 0);
    json_decref(seen);

    /* a fresh render starts a fresh set; unknown entries give nothing */
    seen = json_object();
    emitted_t emb = {0}, none = {0};
    spa_manifest_js(m, "embedded", seen, collect, &emb);
    spa_manifest_js(m, "explore", seen, collect, &none);
    cr_assert_eq(emb.n, 2);
    cr_assert_eq(none.n, 0);
    json_decref(seen);
    spa_manifest_release(m);
}

Test(spa_manifest, version_from_package_json) {
    write_file("superset/static/assets/manifest.json", MANIFEST);
    write_file("superset/static/assets/package.json", "{\"name\": \"superset\", \"version\": \"6.0.0rc2\"}");
    spa_manifest_t *m = spa_manifest_load_dir(static_dir(), "test");
    cr_assert(m->ok);
    cr_assert_str_eq(m->version_string, "6.0.0rc2");
    cr_assert_null(m->version_sha);
    spa_manifest_release(m);
}

Test(spa_manifest, failures_are_explained) {
    spa_manifest_t *m = spa_manifest_load_dir(NULL, NULL);
    cr_assert(!m->ok);
    cr_assert(strstr(m->problem, "LITESET_STATIC_DIR is not set"));
    spa_manifest_release(m);

    m = spa_manifest_load_dir(static_dir(), "test"); /* no manifest file */
    cr_assert(!m->ok);
    cr_assert(strstr(m->problem, "could not be read"), "%s", m->problem);
    spa_manifest_release(m);

    write_file("superset/static/assets/manifest.json", "{not json");
    m = spa_manifest_load_dir(static_dir(), "test");
    cr_assert(!m->ok);
    cr_assert(strstr(m->problem, "not a webpack manifest"), "%s", m->problem);
    spa_manifest_release(m);

    write_file("superset/static/assets/manifest.json", "{\"entrypoints\": {\"theme\": {\"js\": []}}}");
    m = spa_manifest_load_dir(static_dir(), "test");
    cr_assert(!m->ok);
    cr_assert(strstr(m->problem, "no \"spa\" entry point"), "%s", m->problem);
    spa_manifest_release(m);
}

static config_t *config_with(const char *text) {
    char path[400];
    snprintf(path, sizeof path, "%s/superset_config.py", root);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
    config_load_opts_t o = {.path = path, .allow_default_secret = true};
    char *err = NULL;
    config_t *cfg = config_load(&o, &err);
    cr_assert_not_null(cfg, "%s", err ? err : "");
    return cfg;
}

Test(spa_manifest, setting_wins_then_environment) {
    write_file("superset/static/assets/manifest.json", MANIFEST);
    write_file("other/static/assets/manifest.json", "{\"entrypoints\": {}}");
    char other[400];
    snprintf(other, sizeof other, "%s/other/static", root);
    setenv("LITESET_STATIC_DIR", other, 1);

    char text[600];
    snprintf(text, sizeof text, "LITESET_STATIC_DIR = '%s'\n", static_dir());
    config_t *with_setting = config_with(text);
    spa_manifest_t *m = spa_manifest_acquire(with_setting);
    cr_assert(m->ok);
    cr_assert_str_eq(m->static_dir, static_dir());
    cr_assert_str_eq(m->source, "the LITESET_STATIC_DIR setting");
    spa_manifest_release(m);

    /* another configuration (a reload) resolves again: now the environment */
    config_t *without = config_with("LITESET_STATIC_DIR = None\n");
    m = spa_manifest_acquire(without);
    cr_assert_str_eq(m->static_dir, other);
    cr_assert_str_eq(m->source, "the LITESET_STATIC_DIR environment variable");
    cr_assert(!m->ok, "that manifest has no spa entry");
    spa_manifest_release(m);
    config_free(with_setting);
    config_free(without);
}
