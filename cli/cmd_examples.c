/* `liteset load-examples [DIR]`: Superset's load_examples for the example
 * bundle in DIR (configs/ with the YAML files, data/ with the CSV files;
 * default ../shared/superset-examples). Creates the `examples` PostgreSQL
 * database on the metadata server (or uses SQLALCHEMY_EXAMPLES_URI), loads
 * the CSV data of every dataset whose table does not exist yet, then imports
 * the configs with the bundle importer (ImportExamplesCommand: everything
 * overwritten, permissions not checked, no owner). */
#include <dirent.h>
#include <ev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/examples_data.h"
#include "domain/bundle_import.h"
#include "lib/arena.h"
#include "lib/fiber.h"
#include "lib/file.h"
#include "lib/strbuf.h"
#include "lib/yaml_json.h"
#include "persistence/pg.h"

#define DEFAULT_DIR "../shared/superset-examples"
#define EXAMPLES_DB_UUID "a2dc77af-e654-49bb-b321-40f6b559a1ee"
#define EXAMPLES_SCHEMA "public"
#define MAX_YAML_BYTES (16u * 1024u * 1024u)

static bool has_yaml_suffix(const char *name) {
    const char *dot = strrchr(name, '.');
    return dot && (!strcasecmp(dot, ".yaml") || !strcasecmp(dot, ".yml"));
}

/* Adds every YAML file under root/rel to contents as {rel path: text}. */
static bool collect_yaml(const char *root, const char *rel, json_t *contents) {
    char path[4096];
    snprintf(path, sizeof path, "%s%s%s", root, *rel ? "/" : "", rel);
    DIR *d = opendir(path);
    if (!d) return false;
    struct dirent *e;
    bool ok = true;
    while (ok && (e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char sub[4096], full[8192];
        snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
        snprintf(full, sizeof full, "%s/%s", root, sub);
        struct stat st;
        if (stat(full, &st) != 0) continue;
        if (S_ISDIR(st.st_mode)) ok = collect_yaml(root, sub, contents);
        else if (S_ISREG(st.st_mode) && has_yaml_suffix(e->d_name)) {
            size_t len;
            char *text = file_read_all(full, MAX_YAML_BYTES, &len);
            json_t *s = text ? json_stringn(text, len) : NULL;
            free(text);
            if (!s) {
                fprintf(stderr, "liteset load-examples: cannot read %s as UTF-8 text\n", full);
                ok = false;
            } else json_object_set_new(contents, sub, s);
        }
    }
    closedir(d);
    return ok;
}

/* SQLALCHEMY_EXAMPLES_URI when it names a PostgreSQL database (the default
 * is Superset's SQLite file, which Liteset cannot serve), else the metadata
 * URI with the database name "examples". */
static char *examples_uri(const config_t *cfg) {
    const char *explicit_uri = cli_config_name(cfg, "SQLALCHEMY_EXAMPLES_URI");
    if (explicit_uri && !strncmp(explicit_uri, "postgres", 8)) return strdup(explicit_uri);
    const char *meta = cli_config_name(cfg, "SQLALCHEMY_DATABASE_URI");
    const char *sep = meta ? strstr(meta, "://") : NULL;
    if (!sep) return NULL;
    const char *slash = strchr(sep + 3, '/');
    if (!slash) return NULL;
    const char *tail = slash + 1 + strcspn(slash + 1, "?#");
    return xasprintf("%.*sexamples%s", (int)(slash + 1 - meta), meta, tail);
}

/* The examples URI's database name (the path after the authority). */
static char *uri_dbname(const char *uri) {
    const char *sep = strstr(uri, "://");
    const char *slash = sep ? strchr(sep + 3, '/') : NULL;
    if (!slash) return NULL;
    return strndup(slash + 1, strcspn(slash + 1, "?#"));
}

/* Creates the examples database on the metadata server when it is missing. */
static bool ensure_database(PGconn *meta, const char *dbname) {
    const char *p[] = {dbname};
    PGresult *r = PQexecParams(meta, "SELECT 1 FROM pg_database WHERE datname = $1", 1, NULL, p, NULL, NULL, 0);
    bool exists = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0;
    PQclear(r);
    if (exists) return true;
    char *ident = PQescapeIdentifier(meta, dbname, strlen(dbname));
    char *sql = xasprintf("CREATE DATABASE %s", ident);
    PQfreemem(ident);
    r = PQexec(meta, sql);
    free(sql);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok) fprintf(stderr, "liteset load-examples: cannot create database %s: %s", dbname, PQerrorMessage(meta));
    else printf("created database %s\n", dbname);
    PQclear(r);
    return ok;
}

static bool load_data(const char *examples_conninfo, const char *data_root, const json_t *contents) {
    PGconn *conn = PQconnectdb(examples_conninfo);
    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "liteset load-examples: cannot connect to the examples database: %s", PQerrorMessage(conn));
        PQfinish(conn);
        return false;
    }
    bool ok = true;
    const char *file;
    json_t *text;
    json_object_foreach((json_t *)contents, file, text) {
        if (strncmp(file, "datasets/", 9)) continue;
        json_t *ds = yaml_to_json(json_string_value(text), json_string_length(text));
        if (json_is_object(ds)) {
            const char *schema = json_string_value(json_object_get(ds, "schema"));
            ok = examples_load_dataset(conn, data_root, ds, schema ? schema : EXAMPLES_SCHEMA) && ok;
        }
        json_decref(ds);
    }
    PQfinish(conn);
    return ok;
}

/* The examples database as a bundle file, so the importer creates (or
 * finds, by name) the connection the dataset files point at. */
static void add_database_file(json_t *contents, const char *uri) {
    json_t *cfg = json_pack("{s:s,s:s,s:n,s:b,s:b,s:b,s:b,s:b,s:b,s:{},s:s,s:s}", "database_name", "examples",
                            "sqlalchemy_uri", uri, "cache_timeout", "expose_in_sqllab", 1, "allow_run_async", 0,
                            "allow_ctas", 0, "allow_cvas", 0, "allow_dml", 0, "allow_csv_upload", 0, "extra",
                            "uuid", EXAMPLES_DB_UUID, "version", "1.0.0");
    char *text = json_dumps(cfg, 0); /* JSON is YAML */
    json_object_set_new(contents, "databases/examples.yaml", json_string(text));
    free(text);
    json_decref(cfg);
}

/* Removes `type` from metadata.yaml (any exported bundle may be loaded). */
static void untype_metadata(json_t *contents) {
    json_t *text = json_object_get(contents, "metadata.yaml");
    json_t *meta = text ? yaml_to_json(json_string_value(text), json_string_length(text)) : NULL;
    if (!json_is_object(meta)) {
        json_decref(meta);
        return;
    }
    json_object_del(meta, "type");
    char *out = json_dumps(meta, 0);
    json_object_set_new(contents, "metadata.yaml", json_string(out));
    free(out);
    json_decref(meta);
}

typedef struct import_job {
    pg_pool_t *pool;
    const json_t *contents;
    const char *secret;
    int rc;
} import_job_t;

static void run_import(void *arg) {
    import_job_t *job = arg;
    arena_t *a = arena_new(1 << 16);
    import_opts_t o = {.command = IMPORT_EXAMPLES, .overwrite = true, .secret_key = job->secret,
                       .examples_schema = EXAMPLES_SCHEMA};
    import_result_t r;
    bundle_import(job->pool, a, job->contents, &o, &r);
    if (r.status == 200) {
        printf("imported %d databases, %d datasets, %d charts, %d dashboards\n", r.counts.databases, r.counts.datasets,
               r.counts.charts, r.counts.dashboards);
        job->rc = 0;
    } else {
        char *extra = r.extra ? json_dumps(r.extra, 0) : NULL;
        fprintf(stderr, "liteset load-examples: %s%s%s\n", r.message, extra ? " " : "", extra ? extra : "");
        free(extra);
        job->rc = 1;
    }
    json_decref(r.extra);
    arena_free(a);
}

/* The loop would keep running for the pool's idle connection watchers. */
static void stop_loop(void *loop) { ev_break(loop, EVBREAK_ALL); }

static int import_configs(const config_t *cfg, const json_t *contents) {
    struct ev_loop *loop = ev_loop_new(0);
    fiber_init(loop, 0);
    pg_pool_opts_t po = {.conninfo = cfg->pg_conninfo, .size = 1};
    pg_pool_t *pool = pg_pool_new(loop, &po);
    import_job_t job = {pool, contents, config_str(cfg, "SECRET_KEY", ""), 1};
    fiber_spawn(run_import, &job, stop_loop, loop);
    ev_run(loop, 0);
    pg_pool_free(pool);
    ev_loop_destroy(loop);
    return job.rc;
}

int cli_load_examples(int argc, char **argv) {
    const char *dir = argc >= 1 ? argv[0] : DEFAULT_DIR;
    char configs[4096], data[4096];
    snprintf(configs, sizeof configs, "%s/configs", dir);
    snprintf(data, sizeof data, "%s/data", dir);
    json_t *contents = json_object();
    if (!collect_yaml(configs, "", contents) || !json_object_get(contents, "metadata.yaml")) {
        fprintf(stderr, "liteset load-examples: no example bundle in %s (expected configs/metadata.yaml)\n", dir);
        json_decref(contents);
        return 1;
    }
    config_t *cfg = cli_load_config();
    if (!cfg) return json_decref(contents), 1;
    int rc = 1;
    char *uri = examples_uri(cfg), *dbname = uri ? uri_dbname(uri) : NULL, *err = NULL;
    char *conninfo = uri ? config_pg_conninfo_from_uri(uri, &err) : NULL;
    PGconn *meta = conninfo ? cli_connect_metadata_db(cfg, "liteset load-examples") : NULL;
    if (!conninfo) fprintf(stderr, "liteset load-examples: no PostgreSQL examples URI: %s\n", err ? err : "set SQLALCHEMY_EXAMPLES_URI");
    else if (meta && ensure_database(meta, dbname) && load_data(conninfo, data, contents)) {
        add_database_file(contents, uri);
        untype_metadata(contents);
        rc = import_configs(cfg, contents);
    }
    if (meta) PQfinish(meta);
    free(conninfo);
    free(err);
    free(dbname);
    free(uri);
    config_free(cfg);
    json_decref(contents);
    return rc;
}
