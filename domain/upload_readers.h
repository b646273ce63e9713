/* The file formats an upload can have (UploadFileType: csv, excel,
 * columnar), one table entry each: how the format's metadata (column names,
 * sheet names) is read for /api/v1/database/upload_metadata/ and how the
 * file becomes a typed frame for /api/v1/database/<pk>/upload/.
 *
 * Readers are pure and run on offload threads; memory comes from m and
 * errors are the reference's DatabaseUploadFailed messages. */
#ifndef LITESET_DOMAIN_UPLOAD_READERS_H
#define LITESET_DOMAIN_UPLOAD_READERS_H

#include <jansson.h>

#include "domain/upload_frame.h"

typedef struct upload_reader {
    const char *type; /* the form's `type` value */
    /* items: a new JSON array of {"column_names": [...], "sheet_name": name or null} */
    int (*metadata)(arena_t *m, const char *data, size_t len, const upload_options_t *o, json_t **items,
                    char *err, size_t errlen);
    int (*frame)(arena_t *m, const char *data, size_t len, const upload_options_t *o, upload_frame_t *out,
                 char *err, size_t errlen);
} upload_reader_t;

/* NULL for an unknown type. */
const upload_reader_t *upload_reader_find(const char *type);

/* The readers (upload_csv.c, upload_excel.c, upload_columnar.c). */
extern const upload_reader_t upload_csv_reader;
extern const upload_reader_t upload_excel_reader;
extern const upload_reader_t upload_columnar_reader;

/* CSV records of data (pandas' C tokenizer rules on libcsv): 0, or -1 with
 * err ("Parsing error: ..."). Exposed for unit tests. */
int upload_csv_records(arena_t *m, const char *data, size_t len, const upload_options_t *o, raw_record_t **recs,
                       size_t *nrecs, char *err, size_t errlen);

#endif
