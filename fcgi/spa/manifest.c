/* Locating Superset's built frontend and reading its webpack manifest; see
 * manifest.h. File reads happen only when the snapshot is (re)built: at the
 * first page of a process, after a configuration reload, or when the
 * manifest file changed. They are small local files. */
#include "fcgi/spa/manifest.h"

#include "lib/file.h"

#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/strbuf.h"

#define MAX_FILE (16u << 20)
#define CHECK_INTERVAL 1.0 /* seconds between manifest stat() checks */

/* Where an installed superset package keeps its static folder. $VAR at the
 * start of a pattern is replaced by the environment variable (skipped when
 * unset). */
static const char *const discovery_patterns[] = {
    "$VIRTUAL_ENV/lib/python3*/site-packages/superset/static",
    "/app/superset/static",
    "/usr/local/lib/python3*/site-packages/superset/static",
    "/usr/local/lib/python3*/dist-packages/superset/static",
    "/usr/lib/python3*/site-packages/superset/static",
    "/usr/lib/python3/dist-packages/superset/static",
    "$HOME/.local/lib/python3*/site-packages/superset/static",
};

/* ---- small file helpers ---- */

static char *path_join(const char *dir, const char *rel) {
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/') n--;
    strbuf_t sb;
    strbuf_init(&sb, n + strlen(rel) + 2);
    strbuf_append(&sb, dir, n);
    strbuf_putc(&sb, '/');
    strbuf_puts(&sb, rel);
    return sb.data;
}

static json_t *read_json(const char *path) {
    size_t len;
    char *text = file_read_all(path, MAX_FILE, &len);
    if (!text) return NULL;
    json_t *j = json_loadb(text, len, 0, NULL);
    free(text);
    return j;
}

static bool readable(const char *path) { return access(path, R_OK) == 0; }

/* ---- directory resolution ---- */

static char *expand_pattern(const char *pat) {
    if (pat[0] != '$') return strdup(pat);
    const char *slash = strchr(pat, '/');
    size_t nlen = slash ? (size_t)(slash - pat - 1) : strlen(pat) - 1;
    char name[64];
    if (nlen >= sizeof name) return NULL;
    memcpy(name, pat + 1, nlen);
    name[nlen] = '\0';
    const char *val = getenv(name);
    if (!val || !*val) return NULL;
    strbuf_t sb;
    strbuf_init(&sb, 128);
    strbuf_puts(&sb, val);
    if (slash) strbuf_puts(&sb, slash);
    return sb.data;
}

static char *discover(void) {
    for (size_t i = 0; i < sizeof discovery_patterns / sizeof discovery_patterns[0]; i++) {
        char *pat = expand_pattern(discovery_patterns[i]);
        if (!pat) continue;
        glob_t g;
        char *found = NULL;
        if (glob(pat, GLOB_NOSORT, NULL, &g) == 0) {
            for (size_t k = 0; k < g.gl_pathc && !found; k++) {
                char *m = path_join(g.gl_pathv[k], "assets/manifest.json");
                if (readable(m)) found = strdup(g.gl_pathv[k]);
                free(m);
            }
            globfree(&g);
        }
        free(pat);
        if (found) return found;
    }
    return NULL;
}

static char *resolve_dir(const config_t *cfg, const char **source) {
    const char *s = cfg ? config_str(cfg, "LITESET_STATIC_DIR", NULL) : NULL;
    if (s && *s) {
        *source = "the LITESET_STATIC_DIR setting";
        return strdup(s);
    }
    const char *e = getenv("LITESET_STATIC_DIR");
    if (e && *e) {
        *source = "the LITESET_STATIC_DIR environment variable";
        return strdup(e);
    }
    char *d = discover();
    *source = d ? "an installed superset package" : NULL;
    return d;
}

/* ---- snapshot ---- */

static char *translations_dir_of(const char *static_dir) {
    size_t n = strlen(static_dir);
    while (n > 1 && static_dir[n - 1] == '/') n--;
    strbuf_t sb;
    strbuf_init(&sb, n + 32);
    if (n >= 7 && !strncmp(static_dir + n - 7, "/static", 7)) {
        strbuf_append(&sb, static_dir, n - 7);
        strbuf_puts(&sb, "/translations");
    } else {
        strbuf_append(&sb, static_dir, n);
        strbuf_puts(&sb, "/../translations");
    }
    return sb.data;
}

static char *strdup_or_null(const char *s) { return s ? strdup(s) : NULL; }

/* VERSION_STRING / VERSION_SHA as Superset's config computes them. */
static void read_version(spa_manifest_t *m) {
    char *p = path_join(m->static_dir, "version_info.json");
    json_t *vi = read_json(p);
    free(p);
    const char *v = json_string_value(json_object_get(vi, "version"));
    const char *sha = json_string_value(json_object_get(vi, "GIT_SHA"));
    if (v && *v) m->version_string = strdup(v);
    if (sha && *sha) m->version_sha = strndup(sha, 8);
    json_decref(vi);
    if (m->version_string) return;
    p = path_join(m->static_dir, "assets/package.json");
    json_t *pkg = read_json(p);
    free(p);
    v = json_string_value(json_object_get(pkg, "version"));
    if (v && *v) m->version_string = strdup(v);
    json_decref(pkg);
}

static void set_problem(spa_manifest_t *m, const char *fmt, const char *arg) {
    strbuf_t sb;
    strbuf_init(&sb, 160);
    strbuf_printf(&sb, fmt, arg);
    m->problem = sb.data;
}

spa_manifest_t *spa_manifest_load_dir(const char *dir, const char *source) {
    spa_manifest_t *m = xcalloc(1, sizeof *m);
    m->refs = 1;
    m->source = source;
    if (!dir || !*dir) {
        set_problem(m, "%s", "LITESET_STATIC_DIR is not set and no installed superset Python package was found.");
        return m;
    }
    m->static_dir = strdup(dir);
    m->translations_dir = translations_dir_of(dir);
    read_version(m);
    char *path = path_join(dir, "assets/manifest.json");
    size_t len;
    char *text = file_read_all(path, MAX_FILE, &len);
    free(path);
    if (!text) {
        set_problem(m, "assets/manifest.json could not be read in the static directory (%s).", strerror(errno));
        return m;
    }
    json_error_t jerr;
    json_t *root = json_loadb(text, len, 0, &jerr);
    free(text);
    json_t *eps = json_object_get(root, "entrypoints");
    if (!json_is_object(eps)) {
        set_problem(m, "%s", "assets/manifest.json in the static directory is not a webpack manifest with entrypoints.");
        json_decref(root);
        return m;
    }
    m->entrypoints = json_incref(eps);
    json_decref(root);
    const json_t *spa = json_object_get(m->entrypoints, "spa");
    if (!json_is_object(spa) || !json_is_array(json_object_get(spa, "js"))) {
        set_problem(m, "%s", "assets/manifest.json in the static directory has no \"spa\" entry point.");
        return m;
    }
    m->ok = true;
    return m;
}

void spa_manifest_release(spa_manifest_t *m) {
    if (!m || --m->refs > 0) return;
    free(m->static_dir);
    free(m->problem);
    free(m->version_string);
    free(m->version_sha);
    free(m->translations_dir);
    json_decref(m->entrypoints);
    free(m);
}

/* ---- process-wide current snapshot ---- */

static struct {
    spa_manifest_t *current;
    const config_t *cfg;  /* configuration the snapshot was resolved under */
    double checked_at;
    struct stat st;       /* manifest.json at load time (zeroed when absent) */
} g_state;

static double mono_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void stat_manifest(const char *dir, struct stat *st) {
    memset(st, 0, sizeof *st);
    if (!dir) return;
    char *p = path_join(dir, "assets/manifest.json");
    if (stat(p, st) != 0) memset(st, 0, sizeof *st);
    free(p);
}

static bool same_file(const struct stat *a, const struct stat *b) {
    return a->st_ino == b->st_ino && a->st_dev == b->st_dev && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static void rebuild(const config_t *cfg, char *dir, const char *source) {
    spa_manifest_t *fresh = spa_manifest_load_dir(dir, source);
    stat_manifest(dir, &g_state.st);
    free(dir);
    if (!fresh->ok) log_warn("Superset frontend not available: %s", fresh->problem);
    else log_info("Superset frontend: %s (from %s)", fresh->static_dir, fresh->source);
    spa_manifest_release(g_state.current);
    g_state.current = fresh;
    g_state.cfg = cfg;
    g_state.checked_at = mono_now();
}

spa_manifest_t *spa_manifest_acquire(const config_t *cfg) {
    if (!g_state.current || g_state.cfg != cfg) {
        const char *source = NULL;
        char *dir = resolve_dir(cfg, &source);
        rebuild(cfg, dir, source);
    } else if (mono_now() - g_state.checked_at >= CHECK_INTERVAL) {
        g_state.checked_at = mono_now();
        struct stat st;
        stat_manifest(g_state.current->static_dir, &st);
        if (!same_file(&st, &g_state.st))
            rebuild(cfg, strdup_or_null(g_state.current->static_dir), g_state.current->source);
    }
    g_state.current->refs++;
    return g_state.current;
}

static void release_cb(void *p) { spa_manifest_release(p); }

const spa_manifest_t *spa_manifest(request_t *req) {
    spa_manifest_t *m = spa_manifest_acquire(req->cfg);
    arena_on_free(req->arena, release_cb, m);
    return m;
}

void spa_manifest_js(const spa_manifest_t *m, const char *entry, json_t *seen,
                     void (*emit)(void *ud, const char *path), void *ud) {
    const json_t *ep = m && entry ? json_object_get(m->entrypoints, entry) : NULL;
    const json_t *js = json_object_get(ep, "js");
    size_t i;
    const json_t *f;
    json_array_foreach(js, i, f) {
        const char *path = json_string_value(f);
        if (!path || json_object_get(seen, path)) continue;
        json_object_set_new(seen, path, json_true());
        emit(ud, path);
    }
}
