/* Request bodies of the tag write endpoints: the JSON body as Flask's
 * request.json reads it inside FAB's @safe, and marshmallow's
 * TagObjectSchema / TagPostBulkSchema loads with their error dictionaries. */
#ifndef LITESET_FCGI_API_TAG_SCHEMA_H
#define LITESET_FCGI_API_TAG_SCHEMA_H

#include <jansson.h>

#include "fcgi/request.h"

/* The parsed body (arena-owned), or NULL after answering: 500 "Fatal error"
 * when the Content-Type is not JSON, 400 "400 Bad Request: ..." when it does
 * not parse. */
json_t *tag_json_body(request_t *req);

/* TagObjectSchema().load(v): NULL when valid (then *loaded, arena-owned,
 * holds the present fields with objects_to_tag as [["type", id], ...] and
 * ids coerced to integers), else the error dictionary (caller owns). */
json_t *tag_object_load(request_t *req, const json_t *v, json_t **loaded);

/* TagPostBulkSchema().load(v): NULL when valid, else the errors (caller owns). */
json_t *tag_bulk_load(request_t *req, const json_t *v);

#endif
