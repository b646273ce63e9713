/* Whole-file reads; see file.h. */
#include "lib/file.h"

#include <errno.h>
#include <stdio.h>

#include "lib/strbuf.h"

char *file_read_all(const char *path, size_t max, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    strbuf_t sb;
    strbuf_init(&sb, 8192);
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0 && sb.len <= max) strbuf_append(&sb, buf, n);
    int bad = ferror(f) || sb.len > max;
    fclose(f);
    if (bad) {
        strbuf_free(&sb);
        errno = EFBIG;
        return NULL;
    }
    *len = sb.len;
    return sb.data;
}
