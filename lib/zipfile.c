/* ZIP reading and writing on libzip; see zipfile.h. */
#include "lib/zipfile.h"

#include <stdlib.h>
#include <string.h>
#include <zip.h>

static zip_t *open_buffer(const void *data, size_t len, int flags, zip_source_t **src_out) {
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &err);
    if (!src) {
        zip_error_fini(&err);
        return NULL;
    }
    zip_t *z = zip_open_from_source(src, flags, &err);
    zip_error_fini(&err);
    if (!z) {
        zip_source_free(src);
        return NULL;
    }
    if (src_out) *src_out = src;
    return z;
}

static bool is_dir_name(const char *name) {
    size_t n = strlen(name);
    return n && name[n - 1] == '/';
}

zipf_status_t zipf_read(const void *data, size_t len, size_t max_member, double max_ratio,
                        bool (*want)(const char *name), zipf_member_fn fn, void *ud) {
    if (!len) return ZIPF_NOT_ZIP;
    zip_t *z = open_buffer(data, len, ZIP_RDONLY, NULL);
    if (!z) return ZIPF_NOT_ZIP;
    zip_int64_t count = zip_get_num_entries(z, 0);
    zipf_status_t st = ZIPF_OK;
    double total = 0, compressed = 0, wanted = 0;
    for (zip_int64_t i = 0; i < count && st == ZIPF_OK; i++) {
        zip_stat_t s;
        const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
        if (zip_stat_index(z, (zip_uint64_t)i, 0, &s) != 0) st = ZIPF_BROKEN;
        else if (s.size > max_member) st = ZIPF_TOO_LARGE;
        else total += (double)s.size, compressed += (double)s.comp_size;
        if (st == ZIPF_OK && name && (!want || want(name))) wanted += (double)s.size;
    }
    /* what is actually read is held in memory: bounded as a single member is */
    if (st == ZIPF_OK && wanted > (double)max_member) st = ZIPF_TOO_LARGE;
    if (st == ZIPF_OK && compressed > 0 && total / compressed > max_ratio) st = ZIPF_RATIO;
    for (zip_int64_t i = 0; i < count && st == ZIPF_OK; i++) {
        const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
        if (!name || is_dir_name(name) || (want && !want(name))) continue;
        zip_stat_t s;
        zip_stat_index(z, (zip_uint64_t)i, 0, &s);
        zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)i, 0);
        char *buf = malloc(s.size + 1);
        zip_int64_t got = f ? zip_fread(f, buf, s.size) : -1;
        if (f) zip_fclose(f);
        if (got < 0 || (zip_uint64_t)got != s.size) st = ZIPF_BROKEN;
        else {
            buf[got] = 0;
            fn(ud, name, buf, (size_t)got);
        }
        free(buf);
    }
    zip_discard(z);
    return st;
}

struct zipf_writer {
    zip_t *z;
    zip_source_t *src;
    bool failed;
};

zipf_writer_t *zipf_writer_new(void) {
    zipf_writer_t *w = calloc(1, sizeof *w);
    zip_error_t err;
    zip_error_init(&err);
    w->src = zip_source_buffer_create(NULL, 0, 0, &err);
    zip_error_fini(&err);
    if (w->src) {
        zip_source_keep(w->src); /* the buffer is read back after zip_close */
        zip_error_init(&err);
        w->z = zip_open_from_source(w->src, ZIP_TRUNCATE, &err);
        zip_error_fini(&err);
    }
    w->failed = !w->z;
    return w;
}

bool zipf_writer_add(zipf_writer_t *w, const char *name, const char *data, size_t n) {
    if (w->failed) return false;
    void *copy = malloc(n ? n : 1);
    memcpy(copy, data, n);
    zip_source_t *s = zip_source_buffer(w->z, copy, n, 1);
    if (!s) {
        free(copy);
        return !(w->failed = true);
    }
    zip_int64_t idx = zip_file_add(w->z, name, s, ZIP_FL_ENC_UTF_8);
    if (idx < 0) {
        zip_source_free(s);
        return !(w->failed = true);
    }
    zip_set_file_compression(w->z, (zip_uint64_t)idx, ZIP_CM_STORE, 0); /* as Python's ZipFile writes by default */
    return true;
}

bool zipf_writer_finish(zipf_writer_t *w, char **out, size_t *out_len) {
    bool ok = !w->failed && zip_close(w->z) == 0;
    if (!ok && w->z) zip_discard(w->z);
    *out = NULL;
    *out_len = 0;
    if (ok) {
        zip_stat_t st;
        ok = zip_source_stat(w->src, &st) == 0 && zip_source_open(w->src) == 0;
        if (ok) {
            *out = malloc(st.size ? st.size : 1);
            zip_int64_t got = zip_source_read(w->src, *out, st.size);
            zip_source_close(w->src);
            ok = got >= 0 && (zip_uint64_t)got == st.size;
            *out_len = ok ? (size_t)got : 0;
            if (!ok) free(*out), *out = NULL;
        }
    }
    if (w->src) zip_source_free(w->src);
    free(w);
    return ok;
}
