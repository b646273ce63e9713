/* The Excel upload reader (ExcelReader). No spreadsheet decoder is built
 * into Liteset yet: metadata and uploads answer DatabaseUploadFailed saying
 * so (see docs/compatibility.md). */
#include <stdio.h>

#include "domain/upload_readers.h"

#define EXCEL_UNSUPPORTED "Liteset cannot read Excel files yet; upload the data as CSV"

static int excel_metadata(upload_mem_t *m, const char *data, size_t len, const upload_options_t *o, json_t **items,
                          char *err, size_t errlen) {
    (void)m, (void)data, (void)len, (void)o;
    *items = NULL;
    snprintf(err, errlen, "%s", EXCEL_UNSUPPORTED);
    return -1;
}

static int excel_frame(upload_mem_t *m, const char *data, size_t len, const upload_options_t *o, upload_frame_t *out,
                       char *err, size_t errlen) {
    (void)m, (void)data, (void)len, (void)o, (void)out;
    snprintf(err, errlen, "%s", EXCEL_UNSUPPORTED);
    return -1;
}

const upload_reader_t upload_excel_reader = {"excel", excel_metadata, excel_frame};
