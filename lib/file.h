/* Reading small files whole (configuration, manifests, static pages) at
 * startup or reload; never on a request path. */
#ifndef LITESET_FILE_H
#define LITESET_FILE_H

#include <stddef.h>

/* The file's bytes in a NUL-terminated heap buffer (caller frees), or NULL
 * with errno set (EFBIG when larger than max bytes). */
char *file_read_all(const char *path, size_t max, size_t *len);

#endif
