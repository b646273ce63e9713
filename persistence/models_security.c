/* Declarations of the Flask-AppBuilder security tables (ab_*) for the
 * generic model engine: columns, relations and association tables. */
#include "persistence/models.h"


static const model_col_t user_cols[] = {
    {"id", COL_INT, 0, false, true},
    {"first_name", COL_STRING, 64, false, false},
    {"last_name", COL_STRING, 64, false, false},
    {"username", COL_STRING, 64, false, true},
    {"password", COL_STRING, 256, true, false},
    {"active", COL_BOOL, 0, true, false},
    {"email", COL_STRING, 320, false, true},
    {"last_login", COL_DATETIME, 0, true, false},
    {"login_count", COL_INT, 0, true, false},
    {"fail_login_count", COL_INT, 0, true, false},
    {"created_on", COL_DATETIME, 0, true, false},
    {"changed_on", COL_DATETIME, 0, true, false},
    {NULL, 0, 0, false, false},
};
static const model_rel_t user_rels[] = {
    {"roles", REL_MANY_TO_MANY, &model_ab_role, NULL, "ab_user_role", "user_id", "role_id", "ab_user_role_id_seq"},
    {"groups", REL_MANY_TO_MANY, &model_ab_group, NULL, "ab_user_group", "user_id", "group_id", "ab_user_group_id_seq"},
    {"created_by", REL_MANY_TO_ONE, &model_ab_user, "created_by_fk", NULL, NULL, NULL, NULL},
    {"changed_by", REL_MANY_TO_ONE, &model_ab_user, "changed_by_fk", NULL, NULL, NULL, NULL},
    {NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL},
};
const model_t model_ab_user = {"ab_user", "id", "ab_user_id_seq", "User", user_cols, user_rels,
                               "t.first_name || ' ' || t.last_name", NULL, false, NULL};

static const model_col_t name_cols[] = {
    {"id", COL_INT, 0, false, true},
    {"name", COL_STRING, 64, false, true},
    {NULL, 0, 0, false, false},
};
/* Deleting a role removes its rows from every association table, as
 * SQLAlchemy does for these secondary relationships. */
static const model_rel_t role_rels[] = {
    {"permissions", REL_MANY_TO_MANY, &model_ab_permission_view, NULL, "ab_permission_view_role", "role_id", "permission_view_id",
     "ab_permission_view_role_id_seq"},
    {"user", REL_MANY_TO_MANY, &model_ab_user, NULL, "ab_user_role", "role_id", "user_id", "ab_user_role_id_seq"},
    {"groups", REL_MANY_TO_MANY, &model_ab_group, NULL, "ab_group_role", "role_id", "group_id", "ab_group_role_id_seq"},
    {NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL},
};
const model_t model_ab_role = {"ab_role", "id", "ab_role_id_seq", "Role", name_cols, role_rels, "t.name", NULL, false, NULL};

static const model_col_t group_cols[] = {
    {"id", COL_INT, 0, false, true},
    {"name", COL_STRING, 100, false, true},
    {"label", COL_STRING, 150, true, false},
    {"description", COL_STRING, 512, true, false},
    {NULL, 0, 0, false, false},
};
static const model_rel_t group_rels[] = {
    {"users", REL_MANY_TO_MANY, &model_ab_user, NULL, "ab_user_group", "group_id", "user_id", "ab_user_group_id_seq"},
    {"roles", REL_MANY_TO_MANY, &model_ab_role, NULL, "ab_group_role", "group_id", "role_id", "ab_group_role_id_seq"},
    {NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL},
};
const model_t model_ab_group = {"ab_group", "id", "ab_group_id_seq", "Group", group_cols, group_rels, "t.name", NULL, false, NULL};

static const model_col_t permission_cols[] = {
    {"id", COL_INT, 0, false, true},
    {"name", COL_STRING, 100, false, true},
    {NULL, 0, 0, false, false},
};
const model_t model_ab_permission = {"ab_permission", "id", "ab_permission_id_seq", "Permission", permission_cols,
                                     NULL, "t.name", NULL, false, NULL};

static const model_col_t view_menu_cols[] = {
    {"id", COL_INT, 0, false, true},
    {"name", COL_STRING, 250, false, true},
    {NULL, 0, 0, false, false},
};
const model_t model_ab_view_menu = {"ab_view_menu", "id", "ab_view_menu_id_seq", "ViewMenu", view_menu_cols, NULL,
                                    "t.name", NULL, false, NULL};

static const model_col_t pvm_cols[] = {
    {"id", COL_INT, 0, false, true},
    {"permission_id", COL_INT, 0, true, false},
    {"view_menu_id", COL_INT, 0, true, false},
    {NULL, 0, 0, false, false},
};
static const model_rel_t pvm_rels[] = {
    {"permission", REL_MANY_TO_ONE, &model_ab_permission, "permission_id", NULL, NULL, NULL, NULL},
    {"view_menu", REL_MANY_TO_ONE, &model_ab_view_menu, "view_menu_id", NULL, NULL, NULL, NULL},
    {"role", REL_MANY_TO_MANY, &model_ab_role, NULL, "ab_permission_view_role", "permission_view_id", "role_id",
     "ab_permission_view_role_id_seq"},
    {NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL},
};
const model_t model_ab_permission_view = {"ab_permission_view", "id", "ab_permission_view_id_seq", "PermissionView", pvm_cols,
                              pvm_rels, "t.id::text", NULL, false, NULL};

static const model_col_t register_user_cols[] = {
    {"id", COL_INT, 0, false, true},
    {"first_name", COL_STRING, 64, false, false},
    {"last_name", COL_STRING, 64, false, false},
    {"username", COL_STRING, 64, false, true},
    {"password", COL_STRING, 256, true, false},
    {"email", COL_STRING, 320, false, false},
    {"registration_date", COL_DATETIME, 0, true, false},
    {"registration_hash", COL_STRING, 256, true, false},
    {NULL, 0, 0, false, false},
};
const model_t model_ab_register_user = {"ab_register_user", "id", "ab_register_user_id_seq", "RegisterUser",
                                        register_user_cols, NULL, "t.username", NULL, false, NULL};

