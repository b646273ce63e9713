/* The import command: validation of the whole bundle first (every problem
 * reported at once, keyed by file name), then one transaction that writes
 * the objects in dependency order; see bundle_import.h. */
#include "domain/bundle_import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/access.h"
#include "domain/bundle_write.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/offload.h"
#include "lib/yaml_json.h"

#define METADATA_FILE "metadata.yaml"

/* What distinguishes the commands (Superset's ImportModelsCommand subclasses). */
typedef struct command_spec {
    const char *metadata_type; /* MetadataSchema type the bundle must declare; NULL: any */
    const char *model_name;    /* "Error importing <model_name>: ..." */
    int main_kind;             /* kind that honours `overwrite`; -1: every kind is overwritten */
    bool kinds[BUNDLE_KIND_COUNT];
    const char *failure;       /* message when writing fails */
    const char *exists_title;  /* "<title> already exists and `overwrite=true` was not passed" */
} command_spec_t;

#define K(db, ds, ch, da, q, th) {[BUNDLE_DATABASES] = db, [BUNDLE_DATASETS] = ds, [BUNDLE_CHARTS] = ch, \
                                  [BUNDLE_DASHBOARDS] = da, [BUNDLE_QUERIES] = q, [BUNDLE_THEMES] = th}

static const command_spec_t commands[] = {
    [IMPORT_ASSETS] = {"assets", "assets", -1, K(1, 1, 1, 1, 1, 0), "Import failed for an unknown reason", NULL},
    [IMPORT_DASHBOARDS] = {"Dashboard", "dashboard", BUNDLE_DASHBOARDS, K(1, 1, 1, 1, 0, 1),
                           "Import dashboard failed for an unknown reason", "Dashboard"},
    [IMPORT_CHARTS] = {"Slice", "chart", BUNDLE_CHARTS, K(1, 1, 1, 0, 0, 0), "Import chart failed for an unknown reason",
                       "Chart"},
    [IMPORT_DATASETS] = {"SqlaTable", "dataset", BUNDLE_DATASETS, K(1, 1, 0, 0, 0, 0),
                         "Import dataset failed for an unknown reason", "Dataset"},
    [IMPORT_DATABASES] = {"Database", "database", BUNDLE_DATABASES, K(1, 1, 0, 0, 0, 0),
                          "Import database failed for an unknown reason", "Database"},
    [IMPORT_SAVED_QUERIES] = {"SavedQuery", "saved_queries", BUNDLE_QUERIES, K(1, 0, 0, 0, 1, 0),
                              "Import saved query failed for an unknown reason.", "Saved_Queries"},
    [IMPORT_EXAMPLES] = {NULL, "model", -1, K(1, 1, 1, 1, 0, 0), "Import examples failed", NULL},
    [IMPORT_THEMES] = {"Theme", "theme", BUNDLE_THEMES, K(0, 0, 0, 0, 0, 1), "Error importing theme.", "Theme"},
};

static const char *const main_tables[BUNDLE_KIND_COUNT] = {
    [BUNDLE_DATABASES] = "dbs", [BUNDLE_DATASETS] = "tables", [BUNDLE_CHARTS] = "slices",
    [BUNDLE_DASHBOARDS] = "dashboards", [BUNDLE_QUERIES] = "saved_query", [BUNDLE_THEMES] = "themes",
};

/* One validation failure: {file: messages}, kept in order. */
static void add_failure(json_t *failures, const char *file, json_t *messages) {
    json_array_append_new(failures, json_pack("{s:s,s:o}", "file", file, "messages", messages));
}

static void set_result(import_result_t *r, int status, const char *message) {
    r->status = status;
    r->message = message;
}

/* The 422 body parts: "Error importing <model>: f1: m1; f2: m2" and {f: m}. */
static void invalid_result(arena_t *a, const command_spec_t *spec, json_t *failures, import_result_t *r) {
    strbuf_t sb;
    strbuf_init_arena(&sb, a, 256);
    strbuf_printf(&sb, "Error importing %s: ", spec->model_name);
    json_t *extra = json_object();
    size_t i;
    json_t *f;
    json_array_foreach(failures, i, f) {
        const char *file = json_string_value(json_object_get(f, "file"));
        json_t *m = json_object_get(f, "messages");
        char *text = bundle_py_repr(m);
        strbuf_printf(&sb, "%s%s: %s", i ? "; " : "", file, text);
        free(text);
        json_object_set(extra, file, m);
    }
    set_result(r, 422, sb.data);
    r->extra = extra;
}

/* Fills `from` map values for the request's secret maps (password etc.). */
static void inject_secrets(json_t *config, const char *file, const import_opts_t *o) {
    json_t *v;
    if (o->passwords && (v = json_object_get(o->passwords, file))) json_object_set(config, "password", v);
    json_t *ssh = json_object_get(config, "ssh_tunnel");
    const struct {
        const json_t *map;
        const char *key;
    } ssh_maps[] = {{o->ssh_passwords, "password"}, {o->ssh_private_keys, "private_key"},
                    {o->ssh_private_key_passwords, "private_key_password"}};
    for (size_t i = 0; i < sizeof ssh_maps / sizeof ssh_maps[0]; i++)
        if (ssh_maps[i].map && (v = json_object_get(ssh_maps[i].map, file)) && json_is_object(ssh))
            json_object_set(ssh, ssh_maps[i].key, v);
}

/* Set of uuids (lower-case text) of a table, as a JSON object used as a set. */
static json_t *existing_uuids(pg_conn_t *c, arena_t *a, const char *table, pg_error_t *err) {
    /* table is one of the static main_tables */
    pg_result_t *res = pg_conn_query(c, a, err, arena_sprintf(a, "SELECT uuid::text FROM %s WHERE uuid IS NOT NULL", table),
                                     0, NULL);
    if (!res) return NULL;
    json_t *set = json_object();
    for (int i = 0; i < pg_nrows(res); i++) json_object_set_new(set, pg_get(res, i, 0), json_true());
    return set;
}

static const char *uuid_key(arena_t *a, const json_t *config, const char *key) {
    const char *u = json_string_value(json_object_get(config, key));
    return u ? bw_normalize_uuid(a, u) : NULL;
}

/* Reads metadata.yaml; false with the result set when the bundle cannot be
 * handled by a v1 command at all. */
static bool check_metadata(arena_t *a, const json_t *contents, const command_spec_t *spec, import_command_t cmd,
                           json_t *failures, import_result_t *r) {
    const char *incorrect = cmd == IMPORT_ASSETS ? "Import failed for an unknown reason"
                                                 : "Could not find a valid command to import file";
    int incorrect_status = cmd == IMPORT_ASSETS ? 500 : 422;
    json_t *text = json_object_get(contents, METADATA_FILE);
    if (!json_is_string(text)) {
        set_result(r, incorrect_status, incorrect);
        return false;
    }
    json_t *metadata = yaml_to_json(json_string_value(text), json_string_length(text));
    if (!metadata) {
        add_failure(failures, METADATA_FILE, json_string("Not a valid YAML file"));
        return true;
    }
    bool bad_version;
    json_t *errors = bundle_validate_metadata(metadata, &bad_version);
    if (bad_version) {
        json_decref(errors);
        json_decref(metadata);
        set_result(r, incorrect_status, incorrect);
        return false;
    }
    if (errors) add_failure(failures, METADATA_FILE, errors);
    json_t *type = json_object_get(metadata, "type");
    if (spec->metadata_type && type && (!json_is_string(type) || strcmp(json_string_value(type), spec->metadata_type))) {
        json_t *msgs = json_array();
        json_array_append_new(msgs, json_string(arena_sprintf(a, "Must be equal to %s.", spec->metadata_type)));
        json_t *m = json_object();
        json_object_set_new(m, "type", msgs);
        add_failure(failures, METADATA_FILE, m);
    }
    json_decref(metadata);
    return true;
}

typedef struct parse_job {
    const json_t *contents;
    const command_spec_t *spec;
    json_t *parsed; /* file -> config, or JSON null when not YAML */
} parse_job_t;

/* Parses the YAML of every file the command reads; an offload job (pure CPU). */
static void parse_files_job(void *arg) {
    parse_job_t *j = arg;
    const char *file;
    json_t *text;
    json_object_foreach((json_t *)j->contents, file, text) {
        int kind = bundle_kind_of(file);
        if (kind < 0 || !j->spec->kinds[kind] || !json_is_string(text) || !json_string_length(text)) continue;
        json_t *config = yaml_to_json(json_string_value(text), json_string_length(text));
        json_object_set_new(j->parsed, file, config ? config : json_null());
    }
}

/* load_configs: parse and validate every file of a kind the command reads. */
static json_t *load_configs(arena_t *a, pg_conn_t *c, const json_t *contents, const command_spec_t *spec,
                            const import_opts_t *o, json_t *failures, bool *ssh_disabled, pg_error_t *err) {
    json_t *dbs = existing_uuids(c, a, "dbs", err);
    if (!dbs) return NULL;
    parse_job_t job = {contents, spec, json_object()};
    offload_run(parse_files_job, &job);
    json_t *configs = json_object();
    const char *file;
    json_t *parsed;
    json_object_foreach(job.parsed, file, parsed) {
        int kind = bundle_kind_of(file);
        if (json_is_null(parsed)) {
            add_failure(failures, file, json_string("Not a valid YAML file"));
            continue;
        }
        json_t *config = json_incref(parsed);
        if (json_is_object(config)) inject_secrets(config, file, o);
        const char *uuid = json_is_object(config) ? uuid_key(a, config, "uuid") : NULL;
        bool existing = uuid && json_object_get(dbs, uuid);
        json_t *ssh = kind == BUNDLE_DATABASES ? json_object_get(config, "ssh_tunnel") : NULL;
        if (ssh && !json_is_null(ssh) && !existing && !o->ssh_tunneling) {
            /* the schema raises SSHTunnelingNotEnabledError, which ends the whole import */
            *ssh_disabled = true;
            json_decref(config);
            break;
        }
        json_t *errors = bundle_validate(kind, config, existing);
        if (errors) {
            add_failure(failures, file, errors);
            json_decref(config);
            continue;
        }
        json_object_set_new(configs, file, config);
    }
    json_decref(job.parsed);
    json_decref(dbs);
    return configs;
}

/* _prevent_overwrite_existing_model */
static bool prevent_overwrite(arena_t *a, pg_conn_t *c, const json_t *configs, const command_spec_t *spec,
                              json_t *failures, pg_error_t *err) {
    json_t *uuids = existing_uuids(c, a, main_tables[spec->main_kind], err);
    if (!uuids) return false;
    const char *file;
    json_t *config;
    json_object_foreach((json_t *)configs, file, config) {
        if (bundle_kind_of(file) != spec->main_kind) continue;
        const char *uuid = uuid_key(a, config, "uuid");
        if (uuid && json_object_get(uuids, uuid))
            add_failure(failures, file,
                        json_string(arena_sprintf(a, "%s already exists and `overwrite=true` was not passed",
                                                  spec->exists_title)));
    }
    json_decref(uuids);
    return true;
}

void bundle_import(pg_pool_t *pg, arena_t *a, const json_t *contents, const import_opts_t *o, import_result_t *r) {
    memset(r, 0, sizeof *r);
    const command_spec_t *spec = &commands[o->command];
    json_t *failures = json_array();
    pg_error_t err = {0};
    pg_conn_t *c = NULL;
    json_t *configs = NULL;
    if (!check_metadata(a, contents, spec, o->command, failures, r)) goto done;
    c = pg_acquire(pg, a, &err);
    if (!c) goto db_error;
    bool ssh_disabled = false;
    configs = load_configs(a, c, contents, spec, o, failures, &ssh_disabled, &err);
    if (!configs) goto db_error;
    if (ssh_disabled) {
        set_result(r, o->command == IMPORT_ASSETS ? 500 : 400,
                   o->command == IMPORT_ASSETS ? spec->failure : "SSH Tunneling is not enabled");
        goto done;
    }
    if (!o->overwrite && spec->main_kind >= 0 && !prevent_overwrite(a, c, configs, spec, failures, &err)) goto db_error;
    if (json_array_size(failures)) {
        char *why = json_dumps(failures, JSON_COMPACT);
        log_warn("%s import refused: %s", spec->model_name, why ? why : "?");
        free(why);
        if (o->command == IMPORT_ASSETS) set_result(r, 500, spec->failure); /* the assets command wraps every error */
        else invalid_result(a, spec, failures, r);
        goto done;
    }
    if (!pg_begin(c, a, &err)) goto db_error;
    bw_ctx_t w = {.c = c, .a = a, .o = o, .counts = &r->counts};
    if (!bw_run(&w, configs, spec->main_kind)) {
        log_warn("%s import failed: %s", spec->model_name, w.failure ? w.failure : "database error");
        pg_rollback(c, a, &err);
        /* the assets command turns every error into its generic failure */
        set_result(r, 500, w.failure && o->command != IMPORT_ASSETS ? w.failure : spec->failure);
        goto done;
    }
    if (!pg_commit(c, a, &err)) goto db_error;
    set_result(r, 200, "OK");
    goto done;
db_error:
    log_warn("%s import failed: %s", spec->model_name, err.message ? err.message : "database error");
    set_result(r, 500, spec->failure);
done:
    if (c) pg_release(c);
    json_decref(configs);
    json_decref(failures);
}
