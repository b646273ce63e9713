/* ZIP archives held in memory, on libzip (Debian libzip-dev): reading the
 * members of an uploaded bundle with the reference's safety limits, and
 * writing an export bundle. libzip handles the format details (ZIP64, data
 * descriptors, deflate) that a hand-written reader would get wrong.
 *
 * Ownership: member data passed to callbacks is valid only during the call;
 * a written archive is a malloc'd buffer owned by the caller. */
#ifndef LITESET_ZIPFILE_H
#define LITESET_ZIPFILE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    ZIPF_OK = 0,
    ZIPF_NOT_ZIP,     /* not a ZIP archive */
    ZIPF_TOO_LARGE,   /* a member is larger than max_member */
    ZIPF_RATIO,       /* total uncompressed / compressed size above max_ratio */
    ZIPF_BROKEN,      /* a member could not be read (corrupt data) */
} zipf_status_t;

/* Called for every file member (directories are skipped), in archive order. */
typedef void (*zipf_member_fn)(void *ud, const char *name, const char *data, size_t len);

/* Checks the limits over every member first (Superset's check_is_safe_zip),
 * then reads the members whose name `want` accepts (NULL: all); their total
 * size is held to max_member as well. */
zipf_status_t zipf_read(const void *data, size_t len, size_t max_member, double max_ratio,
                        bool (*want)(const char *name), zipf_member_fn fn, void *ud);

/* Archive writer (members stored uncompressed, like Python's ZipFile default). */
typedef struct zipf_writer zipf_writer_t;
zipf_writer_t *zipf_writer_new(void);
/* Adds a copy of n bytes under name. False on error. */
bool zipf_writer_add(zipf_writer_t *w, const char *name, const char *data, size_t n);
/* Finishes the archive: *out is a malloc'd buffer (caller frees). The writer
 * is freed in every case. */
bool zipf_writer_finish(zipf_writer_t *w, char **out, size_t *out_len);

#endif
