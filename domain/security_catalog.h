/* The static security catalog of Superset 6.0.0 (default configuration,
 * AUTH_DB): what `superset init` registers, and the rules that decide which
 * stock role receives which permission.
 *
 * - Views: every view/API class permission name (an ab_view_menu row) with its
 *   base permissions (possibly none: the view menu row exists anyway).
 * - Menus: every menu label; each gets `menu_access`.
 * - Custom pairs: the (permission, view menu) pairs Superset adds itself
 *   (create_custom_permissions).
 * Together they give the 215 permission-view pairs (78 permissions, 90 view
 * menus) of a fresh Superset 6.0.0 install.
 *
 * The predicates and role rules are those of SupersetSecurityManager
 * (_is_admin_only, _is_alpha_only, _is_sql_lab_only, _is_accessible_to_all,
 * _is_user_defined_permission and _is_{admin,alpha,gamma,sql_lab}_pvm).
 * Names are compared exactly (case-sensitive), like the reference.
 *
 * Everything here is static, read-only data: nothing to free. */
#ifndef LITESET_DOMAIN_SECURITY_CATALOG_H
#define LITESET_DOMAIN_SECURITY_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

/* Upper bound of base permissions per view, terminating NULL included. */
#define SECCAT_MAX_VIEW_PERMS 12

typedef struct seccat_view {
    const char *name;                          /* class permission name */
    const char *perms[SECCAT_MAX_VIEW_PERMS];  /* base permissions, NULL-terminated */
} seccat_view_t;

typedef struct seccat_pair {
    const char *perm;  /* ab_permission.name */
    const char *view;  /* ab_view_menu.name */
} seccat_pair_t;

/* Step (1) of init: registered views, in registration order. */
const seccat_view_t *seccat_views(size_t *n);
/* Step (1) of init: menu labels (each gets SECCAT_MENU_ACCESS). */
const char *const *seccat_menus(size_t *n);
/* Step (2) of init: Superset's custom pairs. */
const seccat_pair_t *seccat_custom_pairs(size_t *n);

#define SECCAT_MENU_ACCESS "menu_access"

/* True when (perm, view) is one of the pairs steps (1) and (2) create:
 * a base permission of a view, menu_access on a menu label, or a custom pair. */
bool seccat_is_catalog_pair(const char *perm, const char *view);
/* The view of that name, or NULL. */
const seccat_view_t *seccat_find_view(const char *name);

/* Predicates on a permission-view pair. */
bool seccat_is_user_defined(const char *perm, const char *view); /* OBJECT_SPEC_PERMISSIONS */
bool seccat_is_admin_only(const char *perm, const char *view);
bool seccat_is_alpha_only(const char *perm, const char *view);
bool seccat_is_sql_lab_only(const char *perm, const char *view);
bool seccat_is_accessible(const char *perm, const char *view);  /* ACCESSIBLE_PERMS */
/* Permissions that copy_role(merge=True) keeps on the target role. */
bool seccat_is_data_access_perm(const char *perm);

/* Role membership rules (the pair belongs to the role's stock set). */
bool seccat_admin_gets(const char *perm, const char *view);
bool seccat_alpha_gets(const char *perm, const char *view);
bool seccat_gamma_gets(const char *perm, const char *view);
bool seccat_sql_lab_gets(const char *perm, const char *view);

/* The four roles whose grants init replaces, in the order init syncs them. */
typedef struct seccat_stock_role {
    const char *name;
    bool (*gets)(const char *perm, const char *view);
} seccat_stock_role_t;

const seccat_stock_role_t *seccat_stock_roles(size_t *n);

#endif
