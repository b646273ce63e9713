/* PostgreSQL engine spec facts; see engine_spec.h. */
#include "fcgi/api/engine_spec.h"

#include <string.h>

#include "lib/json.h"
#include "lib/sqla_url.h"

#define PASSWORD_MASK "XXXXXXXXXX"

json_t *engine_pg_parameters_schema(void) {
    return json_pack(
        "{s:{s:{s:s,s:s},s:{s:s,s:s},s:{s:s,s:s},s:{s:s,s:b,s:s},s:{s:s,s:i,s:i,s:s},s:{s:{},s:s,s:s},"
        "s:{s:s,s:s},s:{s:s,s:b,s:s}},s:[s,s,s,s],s:s}",
        "properties",
        "database", "description", "Database name", "type", "string",
        "encryption", "description", "Use an encrypted connection to the database", "type", "boolean",
        "host", "description", "Hostname or IP address", "type", "string",
        "password", "description", "Password", "nullable", 1, "type", "string",
        "port", "description", "Database port", "maximum", 65536, "minimum", 0, "type", "integer",
        "query", "additionalProperties", "description", "Additional parameters", "type", "object",
        "ssh", "description", "Use an ssh tunnel connection to the database", "type", "boolean",
        "username", "description", "Username", "nullable", 1, "type", "string",
        "required", "database", "host", "port", "username", "type", "object");
}

json_t *engine_pg_public_information(void) {
    return json_pack("{s:b,s:b,s:b,s:b}", "disable_ssh_tunneling", 0, "supports_dynamic_catalog", 1,
                     "supports_file_upload", 1, "supports_oauth2", 0);
}

json_t *engine_pg_available_entry(const config_t *cfg) {
    const json_t *pref = config_get(cfg, "PREFERRED_DATABASES");
    bool preferred = !pref; /* Superset's default list starts with PostgreSQL */
    size_t i;
    json_t *v;
    if (json_is_array(pref)) json_array_foreach((json_t *)pref, i, v) preferred = preferred ||
                                                                             (json_is_string(v) &&
                                                                              !strcmp(json_string_value(v), "PostgreSQL"));
    return json_pack("{s:[s],s:s,s:s,s:o,s:s,s:o,s:b,s:s,s:b}", "available_drivers", "psycopg2", "default_driver",
                     "psycopg2", "engine", "postgresql", "engine_information", engine_pg_public_information(), "name",
                     "PostgreSQL", "parameters", engine_pg_parameters_schema(), "preferred", preferred,
                     "sqlalchemy_uri_placeholder", "postgresql://user:password@host:port/dbname[?key=value&key=value...]",
                     "supports_oauth2", 0);
}

json_t *engine_parameters_from_uri(arena_t *a, const char *uri) {
    sqla_url_t u;
    if (!sqla_url_parse(a, uri, &u) || strcmp(u.backend, "postgresql")) return json_object();
    /* sslmode=require is reported as encryption, not as a query argument */
    json_t *query = json_deep_copy(u.query);
    json_t *ssl = json_object_get(query, "sslmode");
    bool encryption = json_is_string(ssl) && !strcmp(json_string_value(ssl), "require");
    if (encryption) json_object_del(query, "sslmode");
    return json_pack("{s:s?,s:s?,s:s?,s:o,s:s?,s:o,s:b}", "username", u.username, "password", u.password, "host", u.host,
                     "port", u.port >= 0 ? json_integer(u.port) : json_null(), "database", u.database, "query", query,
                     "encryption", encryption);
}

const char *engine_mask_encrypted_extra(arena_t *a, const char *text) {
    if (!text) return NULL;
    json_t *j = json_loads(text, JSON_DECODE_ANY, NULL);
    if (!j) return text;
    if (json_is_object(j)) {
        const char *key;
        json_t *v;
        json_object_foreach(j, key, v) json_object_set_new(j, key, json_string(PASSWORD_MASK));
    }
    const char *out = json_dump_arena(a, j, JSON_PY_DEFAULT, NULL);
    json_decref(j);
    return out;
}
