/* Server-side translation of the texts Superset renders through gettext /
 * lazy_gettext in the request's locale: menu labels and flash messages.
 * The catalogue is the configured Superset installation's
 * translations/<locale>/LC_MESSAGES/messages.json (the same Jed file the
 * language pack endpoint serves), loaded once per process and locale on the
 * offload pool. English, a missing catalogue or a missing entry give the
 * message id back unchanged, as gettext does. */
#ifndef LITESET_FCGI_SPA_I18N_H
#define LITESET_FCGI_SPA_I18N_H

#include "fcgi/request.h"

/* The translation of msgid for the request's locale: a copy on the request
 * arena, or msgid itself when there is none. */
const char *spa_gettext(request_t *req, const char *msgid);

#endif
