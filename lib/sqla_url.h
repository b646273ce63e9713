/* SQLAlchemy's make_url for the parts Superset reads from a database URI:
 * drivername, username, password (percent-decoded), host (an IPv6 host
 * without its brackets), port, database and the query arguments (a key
 * given twice holds a list). Everything lives on the caller's arena. */
#ifndef LITESET_LIB_SQLA_URL_H
#define LITESET_LIB_SQLA_URL_H

#include <jansson.h>
#include <stdbool.h>

#include "lib/arena.h"

typedef struct sqla_url {
    const char *drivername; /* "postgresql+psycopg2" */
    const char *backend;    /* "postgresql" */
    const char *driver;     /* "psycopg2", or NULL */
    const char *username, *password, *host, *database; /* NULL when absent */
    int port;               /* -1 when absent */
    json_t *query;          /* {key: value or [values]}, arena-owned */
} sqla_url_t;

/* false when s is not name://... or its port is not a number. */
bool sqla_url_parse(arena_t *a, const char *s, sqla_url_t *out);

/* The URI's password taken out (%-unquoted; NULL when it has none, then
 * *masked = uri) and the URI with mask in its place, as Superset stores a
 * database's URI apart from its password. */
char *sqla_url_split_password(arena_t *a, const char *uri, const char *mask, const char **masked);

#endif
