/* Locale selection; see locale.h. */
#include "fcgi/spa/locale.h"

#include <string.h>

#include "fcgi/session.h"

json_t *spa_languages(const config_t *cfg) {
    const json_t *langs = config_get(cfg, "LANGUAGES");
    if (json_is_object(langs) && json_object_size(langs) > 0) return json_deep_copy(langs);
    return json_pack("{s:{s:s,s:s}}", "en", "flag", "us", "name", "English");
}

bool spa_language_supported(const config_t *cfg, const char *locale) {
    json_t *langs = spa_languages(cfg);
    bool ok = locale && json_object_get(langs, locale) != NULL;
    json_decref(langs);
    return ok;
}

const char *spa_locale(request_t *req) {
    const char *def = config_str(req->cfg, "BABEL_DEFAULT_LOCALE", "en");
    const char *arg = req_query_arg(req, "_l_");
    if (arg) return spa_language_supported(req->cfg, arg) ? arg : def;
    const json_t *s = session_get(req, "locale");
    if (json_is_string(s) && json_string_length(s) > 0) return arena_strdup(req->arena, json_string_value(s));
    session_set(req, "locale", json_string(def));
    return def;
}

const char *spa_locale_language(arena_t *a, const char *locale) {
    if (!locale || !*locale) return "en";
    size_t n = strcspn(locale, "_-@.");
    return arena_strndup(a, locale, n);
}
