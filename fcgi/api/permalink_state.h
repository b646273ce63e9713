/* The marshmallow schemas of the permalink endpoints as field tables:
 * loading a request body into the declared-order object Superset's
 * MarshmallowKeyValueCodec stores, with marshmallow's error messages. */
#ifndef LITESET_FCGI_API_PERMALINK_STATE_H
#define LITESET_FCGI_API_PERMALINK_STATE_H

#include <stdbool.h>

#include "lib/arena.h"
#include "lib/json.h"

typedef enum { PF_DICT, PF_PAIRS, PF_STR_LIST, PF_STR, PF_INT, PF_BOOL } pf_kind_t;

typedef struct pf_field {
    const char *name;
    pf_kind_t kind;
    bool required;
    bool allow_none;
} pf_field_t;

typedef struct pf_schema {
    const pf_field_t *fields;
    size_t count;
} pf_schema_t;

extern const pf_schema_t explore_state_schema;   /* ExplorePermalinkStateSchema */
extern const pf_schema_t sqllab_state_schema;    /* SqlLabPermalinkSchema */
extern const pf_schema_t dashboard_state_schema; /* DashboardPermalinkStateSchema */

/* Loads body (unknown fields rejected). Returns a new object with the given
 * fields in declaration order, or NULL with *errors set to marshmallow's
 * messages object (caller owns whichever is returned). */
json_t *pf_load(const pf_schema_t *s, const json_t *body, json_t **errors);

/* Python str() of a messages object: {'field': ['Message.']}. */
char *pf_messages_repr(arena_t *a, const json_t *messages);

#endif
