/* Marshmallow-style validation of the small dashboard request schemas
 * (native filter updates, colors, copy) and of DashboardJSONMetadataSchema:
 * a table of fields, the messages marshmallow 3 gives for each failure. */
#ifndef LITESET_FCGI_API_DASHBOARD_SCHEMA_H
#define LITESET_FCGI_API_DASHBOARD_SCHEMA_H

#include <stdbool.h>

#include <jansson.h>

#include "lib/arena.h"

typedef enum {
    FS_STR,           /* fields.String */
    FS_INT,           /* fields.Integer (integral numbers and numeric strings) */
    FS_BOOL,          /* fields.Boolean (marshmallow's truthy/falsy sets) */
    FS_DICT,          /* fields.Dict */
    FS_RAW,           /* fields.Raw */
    FS_LIST_STR,      /* fields.List(fields.String()) */
    FS_LIST_INT,      /* fields.List(fields.Integer()) */
    FS_LIST_DICT,     /* fields.List(fields.Dict()) */
    FS_LIST_RAW,      /* fields.List(fields.Raw()) */
    FS_SHARED_LABELS, /* SharedLabelsColorsField: a list of strings, or a dict (read as []) */
    FS_METADATA,      /* a JSON text valid under DashboardJSONMetadataSchema ("" allowed) */
} field_kind_t;

typedef struct schema_field {
    const char *name;
    field_kind_t kind;
    bool allow_none, required;
    int max_len; /* Length(0, max_len) on strings; 0 = none */
} schema_field_t;

/* The {field: [messages]} errors of body (a JSON object) against fields
 * (NULL-name terminated), unknown keys included; NULL when valid. New reference. */
json_t *schema_errors(arena_t *a, const schema_field_t *fields, json_t *body);

/* The value a valid FS_BOOL field loads as. */
bool schema_bool_value(const json_t *v);

/* DashboardJSONMetadataSchema().validate(value): NULL when valid. */
json_t *dashboard_metadata_errors(arena_t *a, json_t *metadata);

#endif
