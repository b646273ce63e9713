/* `liteset fab create-admin | create-user | reset-password`: Flask-AppBuilder's
 * user commands (flask_appbuilder/cli.py), with the same flags and messages.
 *
 * FAB prompts for a missing flag. Liteset prompts only when stdin is a
 * terminal (defaults in brackets, passwords hidden and confirmed); otherwise a
 * missing flag is a usage error naming it (exit 2).
 *
 * Like the Superset application at start-up (FAB create_db), every command
 * first makes sure the AUTH_ROLE_ADMIN and AUTH_ROLE_PUBLIC roles exist.
 * Exit codes: 0 done, or the user already exists (FAB's behaviour); 1 unknown
 * role, unknown user, database or hashing error; 2 misuse. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domain/security_init.h"
#include "lib/password.h"

/* ---- flags ---------------------------------------------------------------------- */

enum { F_ROLE, F_USERNAME, F_FIRSTNAME, F_LASTNAME, F_EMAIL, F_PASSWORD, F_COUNT };

typedef struct flag_spec {
    const char *name;   /* without the leading "--" */
    const char *prompt; /* FAB's prompt text */
} flag_spec_t;

static const flag_spec_t flag_specs[F_COUNT] = {
    [F_ROLE] = {"role", "Role"},
    [F_USERNAME] = {"username", "Username"},
    [F_FIRSTNAME] = {"firstname", "User first name"},
    [F_LASTNAME] = {"lastname", "User last name"},
    [F_EMAIL] = {"email", "Email"},
    [F_PASSWORD] = {"password", "Password"},
};

/* Flag values of one invocation (heap strings, or NULL when not given). */
typedef struct fab_args {
    char *v[F_COUNT];
} fab_args_t;

typedef struct fab_command {
    const char *name;
    const char *help;
    bool takes[F_COUNT];           /* which flags the command has */
    const char *defaults[F_COUNT]; /* FAB's prompt defaults (TTY only) */
    int (*run)(const config_t *cfg, PGconn *conn, const fab_args_t *a);
} fab_command_t;

static int run_create_admin(const config_t *cfg, PGconn *conn, const fab_args_t *a);
static int run_create_user(const config_t *cfg, PGconn *conn, const fab_args_t *a);
static int run_reset_password(const config_t *cfg, PGconn *conn, const fab_args_t *a);

static const fab_command_t commands[] = {
    {"create-admin", "create a user with the admin role",
     {[F_USERNAME] = true, [F_FIRSTNAME] = true, [F_LASTNAME] = true, [F_EMAIL] = true,
      [F_PASSWORD] = true},
     {[F_USERNAME] = "admin", [F_FIRSTNAME] = "admin", [F_LASTNAME] = "user",
      [F_EMAIL] = "admin@fab.org"},
     run_create_admin},
    {"create-user", "create a user with the given role",
     {[F_ROLE] = true, [F_USERNAME] = true, [F_FIRSTNAME] = true, [F_LASTNAME] = true,
      [F_EMAIL] = true, [F_PASSWORD] = true},
     {[F_ROLE] = "Public"},
     run_create_user},
    {"reset-password", "set a user's password",
     {[F_USERNAME] = true, [F_PASSWORD] = true},
     {[F_USERNAME] = "admin"},
     run_reset_password},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void command_usage(const fab_command_t *c) {
    fprintf(stderr, "usage: liteset fab %s", c->name);
    for (int f = 0; f < F_COUNT; f++)
        if (c->takes[f]) fprintf(stderr, " --%s VALUE", flag_specs[f].name);
    fputc('\n', stderr);
}

static void fab_usage(void) {
    fputs("usage: liteset fab <command> [--flag value ...]\n\ncommands:\n", stderr);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(stderr, "  %-15s %s\n", commands[i].name, commands[i].help);
}

static void args_free(fab_args_t *a) {
    for (int f = 0; f < F_COUNT; f++) free(a->v[f]);
}

/* Parses "--flag value" and "--flag=value". false (message printed) on an
 * unknown or repeated flag, or a flag without value. */
static bool parse_flags(const fab_command_t *c, int argc, char **argv, fab_args_t *a) {
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (strncmp(arg, "--", 2) != 0) {
            fprintf(stderr, "liteset fab %s: unexpected argument '%s'\n", c->name, arg);
            return false;
        }
        const char *name = arg + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        int f = 0;
        while (f < F_COUNT && !(c->takes[f] && strlen(flag_specs[f].name) == len &&
                                !strncmp(flag_specs[f].name, name, len)))
            f++;
        if (f == F_COUNT) {
            fprintf(stderr, "liteset fab %s: unknown flag '%.*s'\n", c->name, (int)(len + 2), arg);
            return false;
        }
        const char *value = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
        if (!value) {
            fprintf(stderr, "liteset fab %s: --%s needs a value\n", c->name, flag_specs[f].name);
            return false;
        }
        if (a->v[f]) {
            fprintf(stderr, "liteset fab %s: --%s given twice\n", c->name, flag_specs[f].name);
            return false;
        }
        a->v[f] = strdup(value);
    }
    return true;
}

/* ---- prompting (stdin is a terminal) -------------------------------------------- */

/* One line from the terminal without its newline (heap), echo off when
 * `hidden`. NULL at end of input. */
static char *read_line(bool hidden) {
    struct termios saved, quiet;
    bool restore = hidden && tcgetattr(STDIN_FILENO, &saved) == 0;
    if (restore) {
        quiet = saved;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (restore) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        fputc('\n', stderr);
    }
    if (n < 0) {
        free(line);
        return NULL;
    }
    line[strcspn(line, "\r\n")] = '\0';
    return line;
}

/* click.prompt: "Text [default]: ", empty answer = default; repeats while empty. */
static char *prompt_value(const char *text, const char *def) {
    for (;;) {
        fprintf(stderr, def ? "%s [%s]: " : "%s: ", text, def);
        char *line = read_line(false);
        if (!line) return NULL;
        if (*line) return line;
        free(line);
        if (def) return strdup(def);
    }
}

/* click.password_option: hidden, asked twice. */
static char *prompt_password(void) {
    for (;;) {
        fputs("Password: ", stderr);
        char *first = read_line(true);
        if (!first) return NULL;
        if (!*first) {
            free(first);
            continue;
        }
        fputs("Repeat for confirmation: ", stderr);
        char *second = read_line(true);
        if (!second) {
            free(first);
            return NULL;
        }
        bool same = !strcmp(first, second);
        free(second);
        if (same) return first;
        free(first);
        fputs("Error: The two entered values do not match.\n", stderr);
    }
}

/* Fills the missing flags: prompts on a terminal, else reports them all. */
static bool complete_flags(const fab_command_t *c, fab_args_t *a) {
    bool tty = isatty(STDIN_FILENO);
    bool missing = false;
    for (int f = 0; f < F_COUNT; f++) {
        if (!c->takes[f] || a->v[f]) continue;
        if (tty) {
            a->v[f] = f == F_PASSWORD ? prompt_password()
                                      : prompt_value(flag_specs[f].prompt, c->defaults[f]);
            if (!a->v[f]) return false;
            continue;
        }
        if (!missing) fprintf(stderr, "liteset fab %s: missing", c->name);
        fprintf(stderr, " --%s", flag_specs[f].name);
        missing = true;
    }
    if (missing) {
        fputs(" (stdin is not a terminal, so they cannot be asked for)\n", stderr);
        command_usage(c);
    }
    return !missing;
}

/* ---- database ------------------------------------------------------------------- */

/* Runs a statement; prints the server error and returns NULL on failure. */
static PGresult *run_sql(PGconn *conn, const char *sql, int n, const char *const *params) {
    PGresult *res = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return res;
    fprintf(stderr, "liteset fab: %s", PQresultErrorMessage(res));
    PQclear(res);
    return NULL;
}

static bool exec_ok(PGconn *conn, const char *sql, int n, const char *const *params) {
    PGresult *res = run_sql(conn, sql, n, params);
    PQclear(res);
    return res != NULL;
}

/* FAB create_db: the admin and public roles exist. */
static bool ensure_base_roles(const config_t *cfg, PGconn *conn) {
    const char *admin = cli_config_name(cfg, "AUTH_ROLE_ADMIN");
    if (!admin) return true;
    char *err = NULL;
    const char *public_role = cli_config_name(cfg, "AUTH_ROLE_PUBLIC");
    bool ok = security_ensure_base_roles(conn, admin, public_role, NULL, &err);
    if (!ok) fprintf(stderr, "liteset fab: %s\n", err);
    free(err);
    return ok;
}

/* The id of the single row the query (one parameter) returns; 0 when it
 * returns none or several (FAB find_user's one_or_none); -1 on error. */
static long single_id(PGconn *conn, const char *sql, const char *param) {
    const char *params[] = {param};
    PGresult *res = run_sql(conn, sql, 1, params);
    if (!res) return -1;
    long id = PQntuples(res) == 1 ? strtol(PQgetvalue(res, 0, 0), NULL, 10) : 0;
    PQclear(res);
    return id;
}

/* FAB find_user(username=...): case-insensitive unless AUTH_USERNAME_CI is False. */
static long find_user_by_username(const config_t *cfg, PGconn *conn, const char *username) {
    return single_id(conn,
                     config_bool(cfg, "AUTH_USERNAME_CI", true)
                         ? "SELECT id FROM ab_user WHERE lower(username) = lower($1)"
                         : "SELECT id FROM ab_user WHERE username = $1",
                     username);
}

static long find_user_by_email(PGconn *conn, const char *email) {
    return single_id(conn, "SELECT id FROM ab_user WHERE email = $1", email);
}

static long find_role(PGconn *conn, const char *name) {
    return single_id(conn, "SELECT id FROM ab_role WHERE name = $1", name);
}

/* werkzeug generate_password_hash with FAB_PASSWORD_HASH_METHOD and
 * FAB_PASSWORD_HASH_SALT_LENGTH (defaults: scrypt, 16). Heap string or NULL. */
static char *hash_password(const config_t *cfg, const char *password) {
    const char *method = config_str(cfg, "FAB_PASSWORD_HASH_METHOD", "scrypt");
    int64_t salt_len = config_int(cfg, "FAB_PASSWORD_HASH_SALT_LENGTH", 16);
    /* out-of-range lengths become 0, which password_hash_with refuses */
    int len = salt_len < 1 || salt_len > 1024 ? 0 : (int)salt_len;
    char *hash = password_hash_with(password, method, len);
    if (!hash)
        fprintf(stderr, "liteset fab: cannot hash the password (FAB_PASSWORD_HASH_METHOD '%s',"
                        " FAB_PASSWORD_HASH_SALT_LENGTH %lld)\n",
                method, (long long)salt_len);
    return hash;
}

/* Python's datetime.now(): local time, naive, microseconds. */
static void local_now(char *buf, size_t n) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    localtime_r(&ts.tv_sec, &tm);
    size_t len = strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm);
    snprintf(buf + len, n - len, ".%06ld", (long)(ts.tv_nsec / 1000));
}

/* FAB add_user: inserts the active user and its role. false on error. */
static bool add_user(const config_t *cfg, PGconn *conn, const fab_args_t *a, long role_id) {
    char *hash = hash_password(cfg, a->v[F_PASSWORD]);
    if (!hash) return false;
    char now[40], role[24];
    local_now(now, sizeof now);
    snprintf(role, sizeof role, "%ld", role_id);
    const char *user_params[] = {a->v[F_FIRSTNAME], a->v[F_LASTNAME], a->v[F_USERNAME], hash,
                                 a->v[F_EMAIL], now};
    PGresult *res = run_sql(conn,
                            "INSERT INTO ab_user (id, first_name, last_name, username, password,"
                            " active, email, created_on, changed_on)"
                            " VALUES (nextval('ab_user_id_seq'), $1, $2, $3, $4, true, $5,"
                            " $6::timestamp, $6::timestamp) RETURNING id",
                            6, user_params);
    free(hash);
    if (!res) return false;
    const char *role_params[] = {PQgetvalue(res, 0, 0), role};
    bool ok = exec_ok(conn,
                      "INSERT INTO ab_user_role (id, user_id, role_id)"
                      " VALUES (nextval('ab_user_role_id_seq'), $1::int, $2::int)",
                      2, role_params);
    PQclear(res);
    return ok;
}

/* ---- commands (run inside a transaction the caller commits on 0) ------------------- */

typedef struct auth_type_name {
    int64_t type;
    const char *text;
} auth_type_name_t;

/* FAB const.py AUTH_* values and the names create-admin prints. */
static const auth_type_name_t auth_type_names[] = {
    {1, "Database Authentications"},
    {2, "LDAP Authentication"},
    {3, "WebServer REMOTE_USER Authentication"},
    {4, "OAuth Authentication"},
};

static void print_auth_type(const config_t *cfg) {
    int64_t type = config_int(cfg, "AUTH_TYPE", 1);
    const char *text = "No Auth method";
    for (size_t i = 0; i < sizeof auth_type_names / sizeof auth_type_names[0]; i++)
        if (auth_type_names[i].type == type) text = auth_type_names[i].text;
    printf("Recognized %s.\n", text);
}

/* Shared by create-admin and create-user. `label` prefixes the success line. */
static int create_user(const config_t *cfg, PGconn *conn, const fab_args_t *a, const char *role,
                       const char *label) {
    const char *username = a->v[F_USERNAME];
    long by_name = find_user_by_username(cfg, conn, username);
    long by_email = by_name == 0 ? find_user_by_email(conn, a->v[F_EMAIL]) : 0;
    if (by_name < 0 || by_email < 0) return 1;
    if (by_name > 0 || by_email > 0) {
        printf("Error! User already exists %s\n", username);
        return 0;
    }
    long role_id = role ? find_role(conn, role) : 0;
    if (role_id < 0) return 1;
    if (role_id == 0) {
        fprintf(stderr, "Error! Role not found %s\n", role ? role : "(none)");
        return 1;
    }
    if (!add_user(cfg, conn, a, role_id)) {
        fprintf(stderr, "No user created an error occurred\n");
        return 1;
    }
    printf("%s %s created.\n", label, username);
    return 0;
}

static int run_create_admin(const config_t *cfg, PGconn *conn, const fab_args_t *a) {
    print_auth_type(cfg);
    return create_user(cfg, conn, a, cli_config_name(cfg, "AUTH_ROLE_ADMIN"), "Admin User");
}

static int run_create_user(const config_t *cfg, PGconn *conn, const fab_args_t *a) {
    return create_user(cfg, conn, a, a->v[F_ROLE], "User");
}

static int run_reset_password(const config_t *cfg, PGconn *conn, const fab_args_t *a) {
    const char *username = a->v[F_USERNAME];
    long id = find_user_by_username(cfg, conn, username);
    if (id < 0) return 1;
    if (id == 0) {
        fprintf(stderr, "User %s not found.\n", username);
        return 1;
    }
    char *hash = hash_password(cfg, a->v[F_PASSWORD]);
    if (!hash) return 1;
    char id_text[24];
    snprintf(id_text, sizeof id_text, "%ld", id);
    const char *params[] = {hash, id_text};
    bool ok = exec_ok(conn, "UPDATE ab_user SET password = $1 WHERE id = $2::int", 2, params);
    free(hash);
    if (!ok) return 1;
    printf("User %s reseted.\n", username); /* sic: FAB's message */
    return 0;
}

/* ---- entry point ------------------------------------------------------------------ */

/* Connects, runs the command in one transaction, commits on success. */
static int run_command(const fab_command_t *c, const fab_args_t *a) {
    config_t *cfg = cli_load_config();
    if (!cfg) return 1;
    PGconn *conn = cli_connect_metadata_db(cfg, "liteset fab");
    int rc = 1;
    if (conn && exec_ok(conn, "BEGIN", 0, NULL)) {
        rc = ensure_base_roles(cfg, conn) ? c->run(cfg, conn, a) : 1;
        if (!exec_ok(conn, rc == 0 ? "COMMIT" : "ROLLBACK", 0, NULL)) rc = 1;
    }
    if (conn) PQfinish(conn);
    config_free(cfg);
    return rc;
}

int cli_fab(int argc, char **argv) {
    const fab_command_t *c = NULL;
    for (size_t i = 0; argc >= 1 && i < NCOMMANDS; i++)
        if (!strcmp(argv[0], commands[i].name)) c = &commands[i];
    if (!c) {
        if (argc >= 1 && strcmp(argv[0], "--help"))
            fprintf(stderr, "liteset fab: unknown command '%s'\n", argv[0]);
        fab_usage();
        return argc >= 1 && !strcmp(argv[0], "--help") ? 0 : 2;
    }
    if (argc == 2 && !strcmp(argv[1], "--help")) {
        command_usage(c);
        return 0;
    }
    fab_args_t a = {0};
    int rc = 2;
    if (!parse_flags(c, argc - 1, argv + 1, &a))
        command_usage(c);
    else if (complete_flags(c, &a))
        rc = run_command(c, &a);
    args_free(&a);
    return rc;
}
