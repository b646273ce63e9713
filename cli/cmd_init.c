/* `liteset init`: Superset's `superset init` — creates the permissions, view
 * menus and permission-view pairs Superset 6.0.0 registers, syncs the stock
 * roles (Admin, Alpha, Gamma, sql_lab), applies PUBLIC_ROLE_LIKE and creates
 * the data-access permissions of existing databases and datasets
 * (domain/security_init.h). Exit 0 on success, 1 on failure, 2 on misuse. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/security_init.h"

static void print_report(const security_init_report_t *r) {
    printf("liteset init: created %ld permissions, %ld view menus, %ld permission-views"
           " (%ld data access), %ld roles; removed %ld permission-views\n",
           r->permissions_created, r->view_menus_created, r->pvms_created + r->data_access_created,
           r->data_access_created, r->roles_created, r->pvms_deleted);
    printf("liteset init: grants +%ld -%ld; now", r->grants_added, r->grants_removed);
    for (int i = 0; i < r->nroles; i++)
        printf("%s %s %ld", i ? "," : "", r->roles[i].name, r->roles[i].grants);
    putchar('\n');
}

int cli_init(int argc, char **argv) {
    (void)argv;
    if (argc > 0) {
        fputs("usage: liteset init\n", stderr);
        return 2;
    }
    config_t *cfg = cli_load_config();
    if (!cfg) return 1;
    PGconn *conn = cli_connect_metadata_db(cfg, "liteset init");
    if (!conn) {
        config_free(cfg);
        return 1;
    }
    security_init_opts_t opts = {
        .admin_role = cli_config_name(cfg, "AUTH_ROLE_ADMIN"),
        .public_role = cli_config_name(cfg, "AUTH_ROLE_PUBLIC"),
        .public_role_like = cli_config_name(cfg, "PUBLIC_ROLE_LIKE"),
    };
    security_init_report_t report;
    char *err = NULL;
    bool ok = security_init_run(conn, &opts, &report, &err);
    if (ok)
        print_report(&report);
    else
        fprintf(stderr, "liteset init: nothing changed: %s\n", err);
    free(err);
    PQfinish(conn);
    config_free(cfg);
    return ok ? 0 : 1;
}
