/* The `rison` decorator with a list schema ({"type": "array", "items":
 * {"type": ...}}) as the bulk delete endpoints use it: parse `q` (rison,
 * then JSON), validate, and answer 400 like FAB on failure. */
#ifndef LITESET_FCGI_API_RISON_LIST_H
#define LITESET_FCGI_API_RISON_LIST_H

#include <jansson.h>
#include <stdbool.h>

#include "fcgi/request.h"

/* The parsed array (owned by the request arena), or NULL after answering
 * (400 "Not a valid rison/json argument" / "Not a valid rison schema ...").
 * item_type is JSON_INTEGER or JSON_STRING. */
json_t *rison_list_arg(request_t *req, json_type item_type);

/* The `rison` decorator's parse alone: `q` parsed (rison, then JSON), {}
 * when absent; owned by the request arena. NULL after answering. */
json_t *rison_arg(request_t *req);
/* The `rison` decorator with an object schema: the parsed `q` (an absent q
 * is {}), or NULL after answering 400 as FAB does (including "Not a valid
 * rison schema <repr> is not of type 'object'"). Properties are left to the
 * caller (see rison_check_type). */
json_t *rison_object_arg(request_t *req);

/* jsonschema "type" check of one property (json_type JSON_REAL standing for
 * "number", JSON_TRUE for "boolean"): true when absent or of the type, else
 * answers 400 "Not a valid rison schema <repr> is not of type '<type>'". */
bool rison_check_type(request_t *req, const json_t *obj, const char *key, json_type type);

/* Python repr of a JSON value as the messages show it ('a', 1, True, None,
 * [..], {..}); on the request arena. */
const char *py_repr(request_t *req, const json_t *v);

#endif
