/* Related-field declaration for user relations (owners, created_by,
 * changed_by): Superset's FilterRelatedOwners text filter. Users listed in
 * EXCLUDE_USERS_FROM_LISTS are left out by the engine for every related
 * field whose target is ab_user (BaseFilterRelatedUsers). */
#ifndef LITESET_FCGI_API_RELATED_USERS_H
#define LITESET_FCGI_API_RELATED_USERS_H

#define RELATED_USERS(column, order)                                                              \
    {column,                                                                                      \
     "(t.first_name || ' ' || t.last_name ILIKE '%%' || %1$s || '%%' OR t.username ILIKE '%%' || %1$s || '%%')", \
     order, NULL, NULL}

#endif
