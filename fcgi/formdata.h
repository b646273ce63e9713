/* Form fields of a request body, read as Werkzeug's request.form does:
 * application/x-www-form-urlencoded and multipart/form-data (parts that
 * carry a filename are files, not fields, and are skipped). Any other
 * content type has no form fields. Query-string arguments are offered with
 * the same shapes (request.args).
 *
 * Ownership: returned strings live on the request arena; dicts are new
 * jansson references owned by the caller. */
#ifndef LITESET_FCGI_FORMDATA_H
#define LITESET_FCGI_FORMDATA_H

#include <jansson.h>
#include <stddef.h>

#include "fcgi/request.h"

typedef void (*form_field_fn)(void *ud, const char *name, const char *value, size_t value_len);

/* Calls fn for every form field in body order. */
void form_foreach(request_t *req, form_field_fn fn, void *ud);
/* First value of a form field, NULL when absent. */
const char *form_value(request_t *req, const char *name);
/* Content of the first file part named `name` of a multipart body
 * (request.files[name]), on the request arena; NULL when absent. */
const char *form_file(request_t *req, const char *name, size_t *len);
/* Same, with the part's filename (its Content-Disposition filename, quotes
 * removed) in *filename when filename is not NULL. */
const char *form_file_named(request_t *req, const char *name, size_t *len, const char **filename);
/* request.form.to_dict(): first value per name, in first-seen order. */
json_t *form_dict(request_t *req);
/* request.args.to_dict(), same rules over the query string. */
json_t *query_dict(request_t *req);

#endif
