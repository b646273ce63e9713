/* POST /api/v1/database/upload_metadata/ and /api/v1/database/<pk>/upload/
 * (database_upload.c), and the form schemas they load
 * (database_upload_schema.c: UploadPostSchema and
 * UploadFileMetadataPostSchema as marshmallow validates them). */
#ifndef LITESET_FCGI_API_DATABASE_UPLOAD_H
#define LITESET_FCGI_API_DATABASE_UPLOAD_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/upload_frame.h"
#include "fcgi/request.h"

typedef struct upload_form {
    const char *type;           /* csv, excel, columnar */
    const char *table_name;
    const char *schema;         /* NULL when not given */
    const char *already_exists; /* default "fail" */
    const char *column_data_types; /* the JSON text, decoded into options.dtypes */
    const char *file;           /* the upload's bytes (request arena) */
    size_t file_len;
    const char *filename;
    bool dtypes_not_mapping;    /* column_data_types is JSON but not an object */
    upload_options_t options;
} upload_form_t;

/* Loads the form into f. NULL when valid, else the marshmallow error
 * messages ({field: [message]}), a new reference. */
json_t *upload_form_load(request_t *req, bool metadata_schema, upload_form_t *f);

#endif
