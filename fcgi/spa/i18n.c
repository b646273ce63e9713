/* Server-side gettext; see i18n.h. Catalogues are cached per process by
 * (translations directory, locale); a locale without a file is cached as
 * empty so the disk is read once. Translations are copied to the request
 * arena, so evicting a catalogue never frees text a request still uses. */
#include "fcgi/spa/i18n.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fcgi/spa/locale.h"
#include "fcgi/spa/manifest.h"
#include "lib/log.h"
#include "lib/offload.h"

#define CATALOGUES_MAX 16
#define CATALOGUE_FILE_MAX (64u << 20)

typedef struct catalogue {
    char *dir;
    char *locale;
    json_t *messages; /* locale_data.superset (owned), NULL when the file is missing or unreadable */
} catalogue_t;

static catalogue_t g_catalogues[CATALOGUES_MAX];
static size_t g_count;

typedef struct load_job {
    const char *path; /* in */
    json_t *messages; /* out */
} load_job_t;

/* Runs on the offload pool: reads and parses the Jed file. */
static void load_file(void *arg) {
    load_job_t *job = arg;
    struct stat st;
    if (stat(job->path, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > CATALOGUE_FILE_MAX) return;
    json_error_t err;
    json_t *pack = json_load_file(job->path, 0, &err);
    json_t *domain = json_object_get(json_object_get(pack, "locale_data"), "superset");
    if (json_is_object(domain)) job->messages = json_incref(domain);
    json_decref(pack);
}

static catalogue_t *find(const char *dir, const char *locale) {
    for (size_t i = 0; i < g_count; i++)
        if (!strcmp(g_catalogues[i].dir, dir) && !strcmp(g_catalogues[i].locale, locale)) return &g_catalogues[i];
    return NULL;
}

static catalogue_t *load(request_t *req, const char *dir, const char *locale) {
    load_job_t job = {arena_sprintf(req->arena, "%s/%s/LC_MESSAGES/messages.json", dir, locale), NULL};
    offload_run(load_file, &job);
    catalogue_t *c = find(dir, locale); /* another fiber may have loaded it meanwhile */
    if (c) {
        json_decref(job.messages);
        return c;
    }
    if (g_count == CATALOGUES_MAX) { /* evict the oldest */
        free(g_catalogues[0].dir);
        free(g_catalogues[0].locale);
        json_decref(g_catalogues[0].messages);
        memmove(g_catalogues, g_catalogues + 1, (CATALOGUES_MAX - 1) * sizeof *g_catalogues);
        g_count--;
    }
    if (!job.messages) log_info("no translations for locale %s in %s", locale, dir);
    c = &g_catalogues[g_count++];
    c->dir = strdup(dir);
    c->locale = strdup(locale);
    c->messages = job.messages;
    return c;
}

const char *spa_gettext(request_t *req, const char *msgid) {
    const char *locale = spa_locale(req);
    if (!msgid || !*msgid || !locale || !strcmp(locale, "en")) return msgid;
    const spa_manifest_t *m = spa_manifest(req);
    if (!m || !m->translations_dir) return msgid;
    catalogue_t *c = find(m->translations_dir, locale);
    if (!c) c = load(req, m->translations_dir, locale);
    /* Jed: "msgid": ["translation", ...]; an empty translation means none */
    const char *t = json_string_value(json_array_get(json_object_get(c->messages, msgid), 0));
    return t && *t ? arena_strdup(req->arena, t) : msgid;
}
