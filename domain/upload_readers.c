/* The table of upload formats; see upload_readers.h. */
#include "domain/upload_readers.h"

#include <string.h>

static const upload_reader_t *const readers[] = {&upload_csv_reader, &upload_excel_reader, &upload_columnar_reader};

const upload_reader_t *upload_reader_find(const char *type) {
    for (size_t i = 0; type && i < sizeof readers / sizeof readers[0]; i++)
        if (!strcmp(readers[i]->type, type)) return readers[i];
    return NULL;
}
