/* Exact view-menu names of Superset's data-access permissions
 * (auth-and-security.md §6.4). */
#include <criterion/criterion.h>

#include "domain/access.h"

Test(access, permission_names) {
    arena_t *a = arena_new(0);
    cr_assert_str_eq(perm_database(a, "examples", 1), "[examples].(id:1)");
    cr_assert_str_eq(perm_catalog(a, "examples", "examples"), "[examples].[examples]");
    cr_assert_str_eq(perm_schema(a, "examples", "examples", "public"), "[examples].[examples].[public]");
    cr_assert_str_eq(perm_schema(a, "examples", NULL, "public"), "[examples].[public]");
    cr_assert_str_eq(perm_schema(a, "examples", "", "public"), "[examples].[public]");
    cr_assert_str_eq(perm_datasource(a, "My DB", "birth_names", 42), "[My DB].[birth_names](id:42)");
    arena_free(a);
}
