/* Locale switching and language packs:
 *   GET /lang/<locale>                  stores the locale in the session and
 *                                       goes back (Referer if safe, else the
 *                                       page history Flask-AppBuilder keeps);
 *   GET /superset/language_pack/<lang>/ the Jed JSON pack of the Superset
 *                                       installation (translations/<lang>/
 *                                       LC_MESSAGES/messages.json next to its
 *                                       static folder), sent as Flask's
 *                                       send_file does; for English without
 *                                       a file, the empty pack.
 *
 * An unsupported locale is a 404 (the reference means to answer 404 but
 * fails with a 500 inside its error handling). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <zlib.h>

#include "fcgi/api/api.h"
#include "fcgi/errors.h"
#include "fcgi/event_logger.h"
#include "fcgi/has_access.h"
#include "fcgi/session.h"
#include "fcgi/spa/locale.h"
#include "fcgi/spa/manifest.h"
#include "fcgi/urls.h"
#include "lib/offload.h"
#include "lib/pyfloat.h"

#define PAGE_HISTORY_SIZE 5
#define PACK_MAX (64u << 20)

static const char EMPTY_PACK[] =
    "{\"domain\": \"superset\", \"locale_data\": {\"superset\": {\"\": {\"domain\": \"superset\","
    " \"plural_forms\": \"nplurals=2; plural=(n != 1)\", \"lang\": \"en\"}}}}";

/* ---- /lang/<locale> ---- */

static const char *index_url(request_t *req) { return *req->script_root ? req->script_root : "/"; }

static void switch_locale(request_t *req) {
    const char *locale = req_path_param(req, "locale");
    if (!spa_language_supported(req->cfg, locale)) {
        if (req_accepts(req, "text/html")) error_http(req, 404);
        else error_http_desc(req, 404, "Locale not supported.");
        return;
    }
    session_set(req, "locale", json_string(locale));
    /* update_redirect(): push this URL on the page history (no repeats, 5 deep) */
    const json_t *stored = session_get(req, "page_history");
    json_t *history = json_is_array(stored) ? json_deep_copy(stored) : json_array();
    const char *url = url_request(req);
    size_t n = json_array_size(history);
    const char *last = n ? json_string_value(json_array_get(history, n - 1)) : NULL;
    if (!last || strcmp(last, url)) json_array_append_new(history, json_string(url));
    while (json_array_size(history) > PAGE_HISTORY_SIZE) json_array_remove(history, 0);
    const char *referer = req_header(req, "Referer");
    if (referer && *referer) {
        session_set(req, "page_history", history);
        resp_redirect(req, 302, url_is_safe_redirect(req, referer) ? referer : index_url(req));
        return;
    }
    /* get_redirect(): drop this page, go to the one before (both leave the history) */
    const char *target = index_url(req);
    n = json_array_size(history);
    if (n) {
        json_array_remove(history, n - 1);
        n--;
        if (n) {
            const char *prev = json_string_value(json_array_get(history, n - 1));
            if (prev && *prev) target = arena_strdup(req->arena, prev);
            json_array_remove(history, n - 1);
        }
    }
    session_set(req, "page_history", history);
    resp_redirect(req, 302, target);
}

/* ---- /superset/language_pack/<lang>/ ---- */

static bool valid_lang(const char *s) {
    /* ^[a-z]{2,3}(_[A-Z]{2})?$ */
    size_t n = 0;
    while (s[n] >= 'a' && s[n] <= 'z') n++;
    if (n < 2 || n > 3) return false;
    if (!s[n]) return true;
    return s[n] == '_' && isupper((unsigned char)s[n + 1]) && isupper((unsigned char)s[n + 2]) && !s[n + 3] &&
           s[n + 1] <= 'Z' && s[n + 2] <= 'Z';
}

typedef struct pack_job {
    const char *path; /* in */
    char *data;       /* out, heap (caller frees) */
    size_t len;
    struct stat st;
    bool found;
} pack_job_t;

static void read_pack(void *arg) {
    pack_job_t *j = arg;
    if (stat(j->path, &j->st) != 0 || !S_ISREG(j->st.st_mode) || (size_t)j->st.st_size > PACK_MAX) return;
    FILE *f = fopen(j->path, "rb");
    if (!f) return;
    j->data = malloc((size_t)j->st.st_size + 1);
    if (j->data) {
        j->len = fread(j->data, 1, (size_t)j->st.st_size, f);
        j->found = !ferror(f);
    }
    fclose(f);
}

static const char *http_date(request_t *req, time_t t) {
    struct tm tm;
    gmtime_r(&t, &tm);
    char buf[64];
    strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return arena_strdup(req->arena, buf);
}

/* Werkzeug send_file headers: inline disposition, one-year public cache,
 * ETag "<mtime>-<size>-<adler32 of the path>", Last-Modified, conditional GET. */
static void send_pack(request_t *req, const pack_job_t *j) {
    double mtime = (double)j->st.st_mtim.tv_sec + (double)j->st.st_mtim.tv_nsec / 1e9;
    char mt[PYFLOAT_BUF];
    pyfloat_repr(mtime, mt);
    unsigned long check = adler32(0L, (const Bytef *)j->path, (uInt)strlen(j->path)) & 0xFFFFFFFFul;
    const char *etag = arena_sprintf(req->arena, "\"%s-%lld-%lu\"", mt, (long long)j->st.st_size, check);
    const char *last_modified = http_date(req, j->st.st_mtim.tv_sec);
    int64_t max_age = config_int(req->cfg, "SEND_FILE_MAX_AGE_DEFAULT", 31536000);
    const char *inm = req_header(req, "If-None-Match");
    const char *ims = req_header(req, "If-Modified-Since");
    bool not_modified = inm ? strstr(inm, etag) != NULL || !strcmp(inm, "*") : (ims && !strcmp(ims, last_modified));
    if (not_modified) resp_body(req, 304, NULL, "", 0);
    else resp_body(req, 200, "application/json", j->data, j->len);
    resp_add_header(req, "Content-Disposition", "inline; filename=messages.json");
    resp_add_header(req, "Last-Modified", last_modified);
    resp_add_header(req, "Cache-Control", arena_sprintf(req->arena, "public, max-age=%lld", (long long)max_age));
    resp_add_header(req, "Expires", http_date(req, time(NULL) + (time_t)max_age));
    resp_add_header(req, "ETag", etag);
    if (!not_modified) resp_add_header(req, "Accept-Ranges", "bytes");
}

static void language_pack(request_t *req) {
    double started = ev_time();
    const char *lang = req_path_param(req, "lang");
    json_t *kw = json_pack("{s:s}", "lang", lang);
    event_log_call_t call = {"language_pack", "Superset.language_pack", "/superset/language_pack/<lang>/", kw, started};
    if (!has_access(req, "can_language_pack", "Superset")) {
        event_log_request(req, &call); /* log_this wraps has_access here */
        json_decref(kw);
        return;
    }
    if (!valid_lang(lang)) {
        error_http_desc(req, 400, "Invalid language code");
        json_decref(kw);
        return;
    }
    const spa_manifest_t *m = spa_manifest(req);
    pack_job_t job = {0};
    if (m->translations_dir) {
        job.path = arena_sprintf(req->arena, "%s/%s/LC_MESSAGES/messages.json", m->translations_dir, lang);
        offload_run(read_pack, &job);
    }
    if (job.found) {
        send_pack(req, &job);
    } else if (!strcmp(lang, "en")) {
        resp_body(req, 200, "application/json", EMPTY_PACK, sizeof EMPTY_PACK - 1);
    } else {
        resp_json(req, 404, json_pack("{s:s}", "error", "Language pack doesn't exist on the server"),
                  JSON_ENSURE_ASCII);
    }
    free(job.data);
    event_log_request(req, &call);
    json_decref(kw);
}

static const route_def_t routes[] = {
    {"GET", "/lang/<string:locale>", switch_locale, GUARD_PUBLIC, 0, NULL},
    {"GET", "/superset/language_pack/<lang>/", language_pack, GUARD_PUBLIC, 0, NULL},
};

const route_table_t lang_routes = {routes, sizeof routes / sizeof routes[0], NULL};
