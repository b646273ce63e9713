/* Tests for domain/security_catalog: the catalog must yield exactly the
 * permission-view pairs, permissions and view menus of a fresh Superset 6.0.0
 * install, and the role rules applied to it exactly the stock roles' grants.
 * The expected sets are parsed at test time from the reference dump
 * ($LITESET_SHARED/reference/superset-6.0.0-security-init.sql, else
 * ../shared/reference/...); tests that need it are skipped when it is absent. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/security_catalog.h"

/* ---- sorted string lists -------------------------------------------------------- */

typedef struct names {
    char **v;
    size_t n, cap;
} names_t;

static void names_add(names_t *l, const char *s, size_t len) {
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        cr_assert(l->v);
    }
    l->v[l->n++] = strndup(s, len);
}

static void names_addf(names_t *l, const char *a, const char *b, const char *c) {
    char buf[512];
    if (c)
        snprintf(buf, sizeof buf, "%s|%s|%s", a, b, c);
    else
        snprintf(buf, sizeof buf, "%s|%s", a, b);
    names_add(l, buf, strlen(buf));
}

static int str_cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts and drops duplicates. */
static void names_unique(names_t *l) {
    if (!l->n) return;
    qsort(l->v, l->n, sizeof *l->v, str_cmp);
    size_t w = 1;
    for (size_t i = 1; i < l->n; i++) {
        if (strcmp(l->v[i], l->v[w - 1]))
            l->v[w++] = l->v[i];
        else
            free(l->v[i]);
    }
    l->n = w;
}

static void names_free(names_t *l) {
    for (size_t i = 0; i < l->n; i++) free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* Both lists must be unique-sorted; reports every difference. */
static void expect_same(const names_t *want, const names_t *got, const char *what) {
    size_t i = 0, j = 0;
    int diffs = 0;
    while (i < want->n || j < got->n) {
        int c = i == want->n ? 1 : j == got->n ? -1 : strcmp(want->v[i], got->v[j]);
        if (c == 0) {
            i++, j++;
            continue;
        }
        if (c < 0)
            cr_log_error("%s: missing %s", what, want->v[i++]);
        else
            cr_log_error("%s: unexpected %s", what, got->v[j++]);
        diffs++;
    }
    cr_expect_eq(diffs, 0, "%s: %d differences from the reference (listed above)", what, diffs);
}

/* ---- the catalog's pairs -------------------------------------------------------- */

typedef struct pair_list {
    const char *perm[512];
    const char *view[512];
    size_t n;
} pair_list_t;

static void pairs_add(pair_list_t *p, const char *perm, const char *view) {
    cr_assert_lt(p->n, 512);
    p->perm[p->n] = perm;
    p->view[p->n++] = view;
}

/* Every pair steps (1) and (2) of init create, in catalog order. */
static void catalog_pairs(pair_list_t *p) {
    size_t n;
    const seccat_view_t *views = seccat_views(&n);
    for (size_t i = 0; i < n; i++)
        for (const char *const *perm = views[i].perms; *perm; perm++)
            pairs_add(p, *perm, views[i].name);
    const char *const *menus = seccat_menus(&n);
    for (size_t i = 0; i < n; i++) pairs_add(p, SECCAT_MENU_ACCESS, menus[i]);
    const seccat_pair_t *custom = seccat_custom_pairs(&n);
    for (size_t i = 0; i < n; i++) pairs_add(p, custom[i].perm, custom[i].view);
}

/* Every view-menu name init creates (views without permissions included). */
static void catalog_view_menus(names_t *out) {
    size_t n;
    const seccat_view_t *views = seccat_views(&n);
    for (size_t i = 0; i < n; i++) names_add(out, views[i].name, strlen(views[i].name));
    const char *const *menus = seccat_menus(&n);
    for (size_t i = 0; i < n; i++) names_add(out, menus[i], strlen(menus[i]));
    const seccat_pair_t *custom = seccat_custom_pairs(&n);
    for (size_t i = 0; i < n; i++) names_add(out, custom[i].view, strlen(custom[i].view));
    names_unique(out);
}

static size_t role_count(bool (*gets)(const char *, const char *)) {
    pair_list_t p = {0};
    catalog_pairs(&p);
    size_t count = 0;
    for (size_t i = 0; i < p.n; i++) count += gets(p.perm[i], p.view[i]);
    return count;
}

/* ---- the reference file --------------------------------------------------------- */

typedef struct reference {
    names_t pairs;       /* "perm|view" from the canonical listing */
    names_t grants;      /* "role|perm|view" */
    names_t permissions; /* ab_permission names */
    names_t view_menus;  /* ab_view_menu names */
} reference_t;

static char *read_whole(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    cr_assert(buf);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static char *reference_text(void) {
    static const char rel[] = "reference/superset-6.0.0-security-init.sql";
    char path[1024];
    const char *shared = getenv("LITESET_SHARED");
    if (shared && *shared) {
        snprintf(path, sizeof path, "%s/%s", shared, rel);
        char *text = read_whole(path);
        if (text) return text;
    }
    snprintf(path, sizeof path, "../shared/%s", rel);
    return read_whole(path);
}

/* The quoted name of "INSERT INTO public.<table> VALUES (<id>, '<name>');" ('' unescaped). */
static void add_inserted_name(names_t *out, const char *line, size_t len) {
    const char *q = memchr(line, '\'', len);
    cr_assert(q, "unexpected line: %.*s", (int)len, line);
    char buf[512];
    size_t w = 0;
    for (const char *p = q + 1; p < line + len && w < sizeof buf - 1; p++) {
        if (*p == '\'') {
            if (p + 1 < line + len && p[1] == '\'') {
                buf[w++] = '\'';
                p++;
                continue;
            }
            break;
        }
        buf[w++] = *p;
    }
    names_add(out, buf, w);
}

static bool load_reference(reference_t *ref) {
    char *text = reference_text();
    if (!text) return false;
    memset(ref, 0, sizeof *ref);
    static const char pv[] = "-- PV ", grant[] = "-- GRANT ",
                      perm[] = "INSERT INTO public.ab_permission VALUES (",
                      vm[] = "INSERT INTO public.ab_view_menu VALUES (";
    for (char *line = text; *line;) {
        char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (!strncmp(line, pv, strlen(pv)))
            names_add(&ref->pairs, line + strlen(pv), len - strlen(pv));
        else if (!strncmp(line, grant, strlen(grant)))
            names_add(&ref->grants, line + strlen(grant), len - strlen(grant));
        else if (!strncmp(line, perm, strlen(perm)))
            add_inserted_name(&ref->permissions, line, len);
        else if (!strncmp(line, vm, strlen(vm)))
            add_inserted_name(&ref->view_menus, line, len);
        line += len + (nl ? 1 : 0);
    }
    free(text);
    names_unique(&ref->pairs);
    names_unique(&ref->grants);
    names_unique(&ref->permissions);
    names_unique(&ref->view_menus);
    cr_assert_eq(ref->pairs.n, 215, "reference file: canonical pair listing not found");
    return true;
}

static void free_reference(reference_t *ref) {
    names_free(&ref->pairs);
    names_free(&ref->grants);
    names_free(&ref->permissions);
    names_free(&ref->view_menus);
}

#define NEED_REFERENCE(ref)                                                                    \
    if (!load_reference(ref))                                                                  \
    cr_skip_test("reference file not found (set LITESET_SHARED or run from the repository)")

/* ---- counts ---------------------------------------------------------------------- */

Test(security_catalog, yields_215_distinct_pairs_78_permissions_90_view_menus) {
    pair_list_t p = {0};
    catalog_pairs(&p);
    names_t pairs = {0}, perms = {0}, vms = {0};
    for (size_t i = 0; i < p.n; i++) {
        names_addf(&pairs, p.perm[i], p.view[i], NULL);
        names_add(&perms, p.perm[i], strlen(p.perm[i]));
    }
    names_unique(&pairs);
    names_unique(&perms);
    catalog_view_menus(&vms);
    cr_expect_eq(p.n, 215, "pairs listed: %zu", p.n);
    cr_expect_eq(pairs.n, 215, "distinct pairs: %zu", pairs.n);
    cr_expect_eq(perms.n, 78, "distinct permissions: %zu", perms.n);
    cr_expect_eq(vms.n, 90, "distinct view menus: %zu", vms.n);
    names_free(&pairs);
    names_free(&perms);
    names_free(&vms);
}

Test(security_catalog, role_rules_give_the_stock_role_sizes) {
    cr_expect_eq(role_count(seccat_admin_gets), 215);
    cr_expect_eq(role_count(seccat_alpha_gets), 110);
    cr_expect_eq(role_count(seccat_gamma_gets), 88);
    cr_expect_eq(role_count(seccat_sql_lab_gets), 28);
}

Test(security_catalog, stock_roles_are_admin_alpha_gamma_sql_lab_in_order) {
    size_t n;
    const seccat_stock_role_t *r = seccat_stock_roles(&n);
    cr_assert_eq(n, 4);
    cr_expect_str_eq(r[0].name, "Admin");
    cr_expect_str_eq(r[1].name, "Alpha");
    cr_expect_str_eq(r[2].name, "Gamma");
    cr_expect_str_eq(r[3].name, "sql_lab");
    cr_expect(r[0].gets == seccat_admin_gets && r[1].gets == seccat_alpha_gets &&
              r[2].gets == seccat_gamma_gets && r[3].gets == seccat_sql_lab_gets);
}

/* ---- exact sets against the reference -------------------------------------------- */

Test(security_catalog, pairs_equal_the_reference_listing) {
    reference_t ref;
    NEED_REFERENCE(&ref);
    pair_list_t p = {0};
    catalog_pairs(&p);
    names_t got = {0};
    for (size_t i = 0; i < p.n; i++) names_addf(&got, p.perm[i], p.view[i], NULL);
    names_unique(&got);
    expect_same(&ref.pairs, &got, "permission-view pairs");
    names_free(&got);
    free_reference(&ref);
}

Test(security_catalog, permissions_and_view_menus_equal_the_reference_rows) {
    reference_t ref;
    NEED_REFERENCE(&ref);
    pair_list_t p = {0};
    catalog_pairs(&p);
    names_t perms = {0}, vms = {0};
    for (size_t i = 0; i < p.n; i++) names_add(&perms, p.perm[i], strlen(p.perm[i]));
    names_unique(&perms);
    catalog_view_menus(&vms);
    expect_same(&ref.permissions, &perms, "permissions");
    expect_same(&ref.view_menus, &vms, "view menus");
    names_free(&perms);
    names_free(&vms);
    free_reference(&ref);
}

Test(security_catalog, role_grants_equal_the_reference_listing) {
    reference_t ref;
    NEED_REFERENCE(&ref);
    pair_list_t p = {0};
    catalog_pairs(&p);
    size_t n;
    const seccat_stock_role_t *roles = seccat_stock_roles(&n);
    names_t got = {0};
    for (size_t r = 0; r < n; r++)
        for (size_t i = 0; i < p.n; i++)
            if (roles[r].gets(p.perm[i], p.view[i]))
                names_addf(&got, roles[r].name, p.perm[i], p.view[i]);
    names_unique(&got);
    cr_expect_eq(ref.grants.n, 441, "reference grants: %zu", ref.grants.n);
    expect_same(&ref.grants, &got, "role grants");
    names_free(&got);
    free_reference(&ref);
}

/* ---- individual rules ---------------------------------------------------------- */

Test(security_catalog, upload_on_database_is_alpha_not_admin_only) {
    cr_expect_not(seccat_is_admin_only("can_upload", "Database"));
    cr_expect(seccat_is_alpha_only("can_upload", "Database"));
    cr_expect(seccat_alpha_gets("can_upload", "Database"));
    cr_expect_not(seccat_gamma_gets("can_upload", "Database"));
    /* other writes on a read-only model view are admin-only */
    cr_expect(seccat_is_admin_only("can_write", "Database"));
    cr_expect_not(seccat_alpha_gets("can_write", "Database"));
    cr_expect(seccat_gamma_gets("can_read", "Database"));
}

Test(security_catalog, data_access_permissions_are_user_defined_and_granted_to_no_stock_role) {
    static const char *const perms[] = {"database_access", "catalog_access", "schema_access",
                                        "datasource_access"};
    for (size_t i = 0; i < 4; i++) {
        cr_expect(seccat_is_user_defined(perms[i], "[examples].(id:1)"), "%s", perms[i]);
        cr_expect_not(seccat_admin_gets(perms[i], "[examples].(id:1)"), "%s", perms[i]);
        cr_expect_not(seccat_alpha_gets(perms[i], "[examples].(id:1)"), "%s", perms[i]);
        cr_expect_not(seccat_gamma_gets(perms[i], "[examples].(id:1)"), "%s", perms[i]);
        cr_expect_not(seccat_sql_lab_gets(perms[i], "[examples].(id:1)"), "%s", perms[i]);
    }
    cr_expect_not(seccat_is_user_defined("all_datasource_access", "all_datasource_access"));
}

Test(security_catalog, accessible_permissions_reach_gamma_even_on_admin_only_views) {
    cr_expect(seccat_is_admin_only("resetmypassword", "UserDBModelView"));
    cr_expect(seccat_gamma_gets("resetmypassword", "UserDBModelView"));
    cr_expect(seccat_gamma_gets("can_userinfo", "UserDBModelView"));
    cr_expect(seccat_gamma_gets("can_recent_activity", "Log"));
    cr_expect_not(seccat_gamma_gets("can_read", "Log"));
    cr_expect_not(seccat_gamma_gets("resetpasswords", "UserDBModelView"));
}

Test(security_catalog, gamma_holds_user_registrations_api_crud_like_upstream) {
    cr_expect(seccat_gamma_gets("can_delete", "UserRegistrationsRestAPI"));
    cr_expect_not(seccat_gamma_gets(SECCAT_MENU_ACCESS, "User Registrations"));
}

Test(security_catalog, sql_lab_gets_its_pairs_and_the_extra_views) {
    cr_expect(seccat_sql_lab_gets("can_execute_sql_query", "SQLLab"));
    cr_expect(seccat_sql_lab_gets("can_read", "Database"));
    cr_expect(seccat_sql_lab_gets("can_csv", "Superset"));
    cr_expect_not(seccat_sql_lab_gets("can_read", "Chart"));
    cr_expect(seccat_is_sql_lab_only(SECCAT_MENU_ACCESS, "SQL Lab"));
    cr_expect_not(seccat_alpha_gets("can_sqllab", "Superset"));
    cr_expect(seccat_admin_gets("can_sqllab", "Superset"));
}

Test(security_catalog, catalog_pair_membership) {
    cr_expect(seccat_is_catalog_pair("can_read", "Chart"));
    cr_expect(seccat_is_catalog_pair(SECCAT_MENU_ACCESS, "Row Level Security"));
    cr_expect(seccat_is_catalog_pair("can_read", "Row Level Security"));
    cr_expect(seccat_is_catalog_pair("can_csv", "Superset"));
    cr_expect_not(seccat_is_catalog_pair("can_frobnicate", "Superset"));
    cr_expect_not(seccat_is_catalog_pair(SECCAT_MENU_ACCESS, "Chart"));
    cr_expect_not(seccat_is_catalog_pair("can_read", "chart"), "names are case-sensitive");
    const seccat_view_t *index = seccat_find_view("SupersetIndexView");
    cr_expect(index && !index->perms[0], "a view without base permissions");
    cr_expect_null(seccat_find_view("Nope"));
}

Test(security_catalog, data_access_perms_kept_by_copy_role) {
    cr_expect(seccat_is_data_access_perm("datasource_access"));
    cr_expect(seccat_is_data_access_perm("all_query_access"));
    cr_expect_not(seccat_is_data_access_perm("catalog_access"), "upstream's list omits it");
    cr_expect_not(seccat_is_data_access_perm("can_read"));
}
