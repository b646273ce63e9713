/* The request locale as Flask-AppBuilder's babel manager chooses it, and the
 * list of languages the navbar offers.
 *
 * Locale: the `_l_` query argument when it names a configured language
 * (any other `_l_` value means the default locale), else session["locale"],
 * else BABEL_DEFAULT_LOCALE, which is then written into the session.
 * Accept-Language is not consulted. */
#ifndef LITESET_FCGI_SPA_LOCALE_H
#define LITESET_FCGI_SPA_LOCALE_H

#include <jansson.h>
#include <stdbool.h>

#include "config/config.h"
#include "fcgi/request.h"

/* LANGUAGES, or FAB's {"en": {"flag": "us", "name": "English"}} when it is
 * empty. New reference. */
json_t *spa_languages(const config_t *cfg);
bool spa_language_supported(const config_t *cfg, const char *locale);

/* The request's locale code (e.g. "pt_BR"); arena string. */
const char *spa_locale(request_t *req);
/* Its language part as babel's Locale.language ("pt_BR" -> "pt"); arena string. */
const char *spa_locale_language(arena_t *a, const char *locale);

#endif
