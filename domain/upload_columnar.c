/* The columnar upload reader (ColumnarReader: Parquet files, or a ZIP of
 * them). No Parquet decoder is available as a Debian library, so both its
 * metadata and its upload answer the reference's DatabaseUploadFailed with
 * a message saying so (see docs/compatibility.md). */
#include <stdio.h>

#include "domain/upload_readers.h"

#define COLUMNAR_UNSUPPORTED "Liteset cannot read columnar (Parquet) files; upload the data as CSV or Excel"

static int columnar_metadata(arena_t *m, const char *data, size_t len, const upload_options_t *o, json_t **items,
                             char *err, size_t errlen) {
    (void)m, (void)data, (void)len, (void)o;
    *items = NULL;
    snprintf(err, errlen, "%s", COLUMNAR_UNSUPPORTED);
    return -1;
}

static int columnar_frame(arena_t *m, const char *data, size_t len, const upload_options_t *o,
                          upload_frame_t *out, char *err, size_t errlen) {
    (void)m, (void)data, (void)len, (void)o, (void)out;
    snprintf(err, errlen, "%s", COLUMNAR_UNSUPPORTED);
    return -1;
}

const upload_reader_t upload_columnar_reader = {"columnar", columnar_metadata, columnar_frame};
