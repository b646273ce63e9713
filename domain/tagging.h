/* Tags and tagged objects (what Superset's TagDAO writes): the object type
 * names, custom tags found or created by name, and the set of objects a tag
 * is attached to. Every function runs on a fiber inside the caller's
 * transaction on c; ids of the acting user are 0 when unknown. */
#ifndef LITESET_DOMAIN_TAGGING_H
#define LITESET_DOMAIN_TAGGING_H

#include <stdbool.h>
#include <stdint.h>

#include "persistence/pg.h"

/* ObjectType: query = 1, chart = 2, dashboard = 3, dataset = 4; 0 = none. */
int tag_object_type_by_name(const char *name);
const char *tag_object_type_name(int type); /* NULL when out of range */

/* Id of the custom tag named name (found by name and type 'custom', else
 * created); -1 on a database error (a tag of another type with that name
 * violates the unique name). */
int64_t tag_custom_get_or_create(pg_conn_t *c, arena_t *a, const char *name, int64_t user_id, pg_error_t *err);

/* Attaches the tag to the objects of refs_json, a JSON array of
 * ["<type name>", <id>] pairs with valid names, skipping pairs already
 * attached. Unless keep_others, the tag's other objects are detached first
 * (all of them when refs_json is empty). */
bool tag_set_objects(pg_conn_t *c, arena_t *a, int64_t tag_id, const char *refs_json, bool keep_others,
                     int64_t user_id, pg_error_t *err);

/* Sets the tag's description (changed_on/changed_by only when it differs);
 * description NULL stores NULL. */
bool tag_set_description(pg_conn_t *c, arena_t *a, int64_t tag_id, const char *description, int64_t user_id,
                         pg_error_t *err);

#endif
