/* Python's repr() and str() of a JSON value as json.loads would hand it to
 * Python: the text error messages quote (marshmallow, jsonschema, int()). */
#ifndef LITESET_PY_REPR_H
#define LITESET_PY_REPR_H

#include <jansson.h>
#include <stdbool.h>

#include "lib/strbuf.h"

/* Appends repr(v) (as_repr) or str(v); containers hold their items' repr. */
void py_format_json(strbuf_t *sb, const json_t *v, bool as_repr);

#endif
