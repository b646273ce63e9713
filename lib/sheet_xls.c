/* The .xls backend (Excel 97-2003, BIFF in an OLE2 container) on libfreexl.
 *
 * freexl trusts the lengths inside the file (a crafted directory entry makes
 * it read far past its buffers), so it never runs in the caller's process.
 * The bytes go to a private temporary file, and a fresh process started from
 * the running executable (/proc/self/exe, with LITESET_XLS_READER naming the
 * file) reads it with freexl and streams every sheet's cells back over a
 * pipe; a crash, hang (alarm) or runaway output there only costs the upload.
 * The helper is entered from a constructor, before the program's main. It is
 * a new executable image rather than a fork because a fork of a threaded
 * process may inherit locks held by other threads (an allocator's, say) and
 * hang on them. The whole workbook is read at open.
 *
 * Cell typing follows pandas' xlrd path: integral numbers INT, others FLOAT,
 * dates and times DATETIME (freexl gives them to the second, a date
 * format's value without its time of day and a time format's without its
 * date). freexl reports booleans and error cells alike as the integers 0/1,
 * so they come out as INT, and it does not read formula results, so
 * formula cells are empty. */
#include <errno.h>
#include <fcntl.h>
#include <freexl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/sheet_internal.h"
#include "lib/strbuf.h"

#define CHILD_SECONDS 60u                   /* wall-clock limit of the reading child */
#define HELPER_ENV "LITESET_XLS_READER"     /* set (to the workbook's path) in the helper process only */
#define HELPER_FD 3                         /* the helper's end of the pipe */
#define MAX_STREAM (SHEET_MAX_PART_BYTES)   /* bytes the child may send back */
#define ERR_TOO_MANY_CELLS (-1000)          /* sheet errors of our own, next to freexl's codes */
#define ERR_BAD_DATE (-1001)
#define ERR_TOO_LARGE (-1002)

/* Stream records, child to parent. */
enum { R_BOOK_ERROR = 'E', R_BOOK = 'B', R_SHEET = 'S', R_SHEET_ERROR = 'X', R_CELL = 'C', R_END = 'Z' };

typedef struct {
    sheet_entries cells;
    int error; /* 0, a freexl code or one of ours */
} xls_sheet;

typedef struct {
    xls_sheet *sheets;
    size_t count;
} xls_book;

typedef struct {
    int code;
    const char *text;
} xls_message;

static const xls_message MESSAGES[] = {
    {FREEXL_INSUFFICIENT_MEMORY, "a sheet too large or out of memory"},
    {FREEXL_INVALID_CFBF_HEADER, "invalid OLE2 header"},
    {FREEXL_CFBF_READ_ERROR, "truncated file"},
    {FREEXL_CFBF_SEEK_ERROR, "truncated file"},
    {FREEXL_CFBF_INVALID_SIGNATURE, "invalid OLE2 signature"},
    {FREEXL_CFBF_INVALID_SECTOR_SIZE, "invalid OLE2 sector size"},
    {FREEXL_CFBF_EMPTY_FAT_CHAIN, "empty OLE2 allocation table"},
    {FREEXL_CFBF_ILLEGAL_FAT_ENTRY, "invalid OLE2 allocation table entry"},
    {FREEXL_BIFF_INVALID_BOF, "invalid BIFF record"},
    {FREEXL_BIFF_INVALID_SST, "invalid shared string table"},
    {FREEXL_BIFF_ILLEGAL_SST_INDEX, "invalid shared string index"},
    {FREEXL_BIFF_WORKBOOK_NOT_FOUND, "no Workbook stream (not an Excel file, or an encrypted one)"},
    {FREEXL_BIFF_ILLEGAL_SHEET_INDEX, "invalid sheet index"},
    {FREEXL_INVALID_CHARACTER, "invalid character"},
    {FREEXL_UNSUPPORTED_CHARSET, "unsupported character set"},
    {FREEXL_ILLEGAL_CELL_ROW_COL, "cell outside the sheet"},
    {FREEXL_ILLEGAL_RK_VALUE, "invalid number record"},
    {FREEXL_INVALID_MINI_STREAM, "invalid OLE2 mini stream"},
    {FREEXL_CFBF_ILLEGAL_MINI_FAT_ENTRY, "invalid OLE2 mini allocation table entry"},
    {FREEXL_CRAFTED_FILE, "corrupted or crafted file"},
    {ERR_TOO_MANY_CELLS, "the sheet has more cells than allowed"},
    {ERR_BAD_DATE, "invalid date"},
    {ERR_TOO_LARGE, "the workbook's content is larger than allowed"},
};

static int xls_failure(char *err, size_t errlen, int code) {
    const char *text = "unreadable file";
    for (size_t k = 0; k < sizeof MESSAGES / sizeof *MESSAGES; k++)
        if (MESSAGES[k].code == code) text = MESSAGES[k].text;
    return sheet_fail(err, errlen, "Excel 97-2003 workbook could not be read: %s", text);
}

/* ---- the child: freexl, and the cells written to the pipe ---- */

typedef struct {
    int fd;
    strbuf_t buf;
} writer;

static void flush(writer *w) {
    const char *p = w->buf.data;
    size_t left = w->buf.len;
    while (left) {
        ssize_t n = write(w->fd, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) _exit(1); /* the parent went away */
        p += n, left -= (size_t)n;
    }
    strbuf_clear(&w->buf);
}

static void emit(writer *w, const void *p, size_t n) {
    strbuf_append(&w->buf, p, n);
    if (w->buf.len >= 65536) flush(w);
}

static void emit_u8(writer *w, unsigned char v) { emit(w, &v, 1); }
static void emit_i64(writer *w, int64_t v) { emit(w, &v, sizeof v); }
static void emit_str(writer *w, const char *s) {
    uint32_t n = s ? (uint32_t)strlen(s) : 0;
    emit(w, &n, sizeof n);
    emit(w, s, n);
}

static int emit_cell(writer *w, unsigned row, unsigned col, const FreeXL_CellValue *v) {
    sheet_cell c = {0};
    switch (v->type) {
    case FREEXL_CELL_INT: c = (sheet_cell){.type = SHEET_INT, .i = v->value.int_value}; break;
    case FREEXL_CELL_DOUBLE: sheet_cell_number(&c, v->value.double_value); break;
    case FREEXL_CELL_TEXT:
    case FREEXL_CELL_SST_TEXT: c = (sheet_cell){.type = SHEET_STRING, .text = v->value.text_value}; break;
    case FREEXL_CELL_DATE:
    case FREEXL_CELL_DATETIME:
    case FREEXL_CELL_TIME:
        if (!v->value.text_value || sheet_iso8601_to_epoch_us(v->value.text_value, &c.epoch_us) != 0) return -1;
        c.type = SHEET_DATETIME;
        break;
    default: return 0; /* FREEXL_CELL_NULL */
    }
    emit_u8(w, R_CELL);
    emit_i64(w, row);
    emit_i64(w, col);
    emit_u8(w, (unsigned char)c.type);
    if (c.type == SHEET_STRING) emit_str(w, c.text ? c.text : "");
    else if (c.type == SHEET_FLOAT) emit(w, &c.f, sizeof c.f);
    else emit_i64(w, c.type == SHEET_DATETIME ? c.epoch_us : c.i);
    return 0;
}

static int emit_sheet(writer *w, const void *h, unsigned i) {
    unsigned int rows = 0;
    unsigned short cols = 0;
    int rc = freexl_select_active_worksheet(h, (unsigned short)i);
    if (rc == FREEXL_OK) rc = freexl_worksheet_dimensions(h, &rows, &cols);
    size_t count = 0;
    /* freexl refuses sheets whose declared size needs over 256 MiB, which
     * bounds this walk */
    for (unsigned r = 0; r < rows && rc == FREEXL_OK; r++) {
        for (unsigned short c = 0; c < cols && rc == FREEXL_OK; c++) {
            FreeXL_CellValue v;
            rc = freexl_get_cell_value(h, r, c, &v);
            if (rc != FREEXL_OK) break;
            if (v.type != FREEXL_CELL_NULL && ++count > SHEET_MAX_CELLS) rc = ERR_TOO_MANY_CELLS;
            else if (emit_cell(w, r, c, &v) != 0) rc = ERR_BAD_DATE;
        }
    }
    return rc;
}

/* Writes the bytes to a new private file; its path goes to path. */
static int write_temp(const void *data, size_t len, char *path, size_t pathlen) {
    const char *dir = getenv("TMPDIR");
    snprintf(path, pathlen, "%s/liteset-xls-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) return -1;
    const char *p = data;
    size_t left = len;
    while (left) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        p += n, left -= (size_t)n;
    }
    close(fd);
    if (left) unlink(path);
    return left ? -1 : 0;
}

static void child_limits(void) {
    int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0) dup2(devnull, STDERR_FILENO), close(devnull); /* freexl's and sanitizers' reports */
    alarm(CHILD_SECONDS);
    struct rlimit cpu = {CHILD_SECONDS, CHILD_SECONDS};
    setrlimit(RLIMIT_CPU, &cpu);
#ifndef __SANITIZE_ADDRESS__ /* the sanitizer's shadow memory needs a vast address space */
    struct rlimit as = {(rlim_t)2 << 30, (rlim_t)2 << 30};
    setrlimit(RLIMIT_AS, &as);
#endif
}

static void child_main(const char *path) {
    child_limits();
    writer w = {.fd = HELPER_FD};
    strbuf_init(&w.buf, 65536);
    const void *h = NULL;
    int rc = freexl_open(path, &h);
    unlink(path); /* read whole by now; the parent unlinks it too, whatever happens here */
    if (rc == FREEXL_OK && !h) rc = FREEXL_CRAFTED_FILE; /* freexl drops a broken stream this way */
    unsigned int count = 0;
    if (rc == FREEXL_OK) rc = freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &count);
    if (rc != FREEXL_OK) {
        emit_u8(&w, R_BOOK_ERROR);
        emit_i64(&w, rc);
    } else {
        emit_u8(&w, R_BOOK);
        emit_i64(&w, count);
        for (unsigned i = 0; i < count && i < SHEET_MAX_SHEETS; i++) {
            const char *name = NULL;
            if (freexl_get_worksheet_name(h, (unsigned short)i, &name) != FREEXL_OK) name = "";
            emit_u8(&w, R_SHEET);
            emit_str(&w, name);
            int src = emit_sheet(&w, h, i);
            if (src != FREEXL_OK) {
                emit_u8(&w, R_SHEET_ERROR);
                emit_i64(&w, src);
            }
        }
    }
    emit_u8(&w, R_END);
    flush(&w);
    _exit(0);
}

/* The helper process starts here, before main. */
__attribute__((constructor)) static void xls_helper_entry(void) {
    const char *path = getenv(HELPER_ENV);
    if (path) child_main(path);
}

/* ---- the parent: run the child, read its stream into the book ---- */

/* Starts the helper on path with its output on wfd; 0 or an errno. */
static int spawn_helper(const char *path, int wfd, pid_t *pid) {
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_adddup2(&fa, wfd, HELPER_FD);
    posix_spawn_file_actions_addclosefrom_np(&fa, HELPER_FD + 1); /* none of the worker's sockets */
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);  /* its time limits must be able to end it */
    posix_spawnattr_setsigdefault(&attr, &all); /* SIGPIPE and others the worker ignores */
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    char *env = xasprintf("%s=%s", HELPER_ENV, path);
    char *argv[] = {"liteset-xls-reader", NULL}, *envp[] = {env, NULL}; /* nothing else of the caller's environment */
    int rc = posix_spawn(pid, "/proc/self/exe", &fa, &attr, argv, envp);
    free(env);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    return rc;
}

/* Reads everything the helper writes (bounded), then reaps it. */
static int run_child(const void *data, size_t len, strbuf_t *out, char *err, size_t errlen) {
    char path[4096];
    if (write_temp(data, len, path, sizeof path) != 0)
        return sheet_fail(err, errlen, "Excel 97-2003 workbook could not be read: no temporary file");
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        unlink(path);
        return sheet_fail(err, errlen, "Excel 97-2003 workbook could not be read: no pipe");
    }
    /* the write end must not already be descriptor 3, which the helper's
     * dup2 would leave close-on-exec */
    int wfd = fcntl(fds[1], F_DUPFD_CLOEXEC, HELPER_FD + 1);
    close(fds[1]);
    pid_t pid;
    int sp = wfd < 0 ? errno : spawn_helper(path, wfd, &pid);
    if (wfd >= 0) close(wfd);
    if (sp != 0) {
        close(fds[0]);
        unlink(path);
        return sheet_fail(err, errlen, "Excel 97-2003 workbook could not be read: the reader did not start (%s)",
                          strerror(sp));
    }
    int rc = 0;
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fds[0], chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        if (out->len + (size_t)n > MAX_STREAM) {
            kill(pid, SIGKILL);
            rc = xls_failure(err, errlen, ERR_TOO_LARGE);
            break;
        }
        strbuf_append(out, chunk, (size_t)n);
    }
    close(fds[0]);
    /* the status is not needed (the stream's end marker tells success), and
     * an event loop's SIGCHLD handler may have reaped the child already */
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
    }
    unlink(path);
    return rc;
}

typedef struct {
    const char *p, *end;
} reader;

static bool take(reader *r, void *out, size_t n) {
    if ((size_t)(r->end - r->p) < n) return false;
    memcpy(out, r->p, n);
    r->p += n;
    return true;
}

static bool take_str(reader *r, arena_t *a, const char **out) {
    uint32_t n;
    if (!take(r, &n, sizeof n) || (size_t)(r->end - r->p) < n) return false;
    *out = arena_strndup(a, r->p, n);
    r->p += n;
    return true;
}

static bool take_cell(reader *r, arena_t *a, xls_sheet *s) {
    int64_t row, col;
    unsigned char type;
    sheet_cell c = {0};
    if (!take(r, &row, 8) || !take(r, &col, 8) || !take(r, &type, 1)) return false;
    if (row < 0 || row >= (int64_t)SHEET_MAX_ROWS || col < 0 || col >= (int64_t)SHEET_MAX_COLS) return false;
    c.type = (sheet_cell_type)type;
    bool ok = c.type == SHEET_STRING ? take_str(r, a, &c.text)
              : c.type == SHEET_FLOAT ? take(r, &c.f, sizeof c.f)
              : c.type == SHEET_INT ? take(r, &c.i, sizeof c.i)
              : c.type == SHEET_DATETIME ? take(r, &c.epoch_us, sizeof c.epoch_us)
                                         : false;
    return ok && sheet_entries_add(&s->cells, (uint32_t)row, (uint32_t)col, &c, NULL, 0) == 0;
}

/* Fills the book from the child's stream; false when it is cut short. */
static bool read_stream(sheet_book *b, xls_book *xb, reader *r, int *book_error) {
    unsigned char tag;
    int64_t v;
    if (!take(r, &tag, 1)) return false;
    if (tag == R_BOOK_ERROR) {
        if (!take(r, &v, 8) || !take(r, &tag, 1) || tag != R_END) return false;
        *book_error = v ? (int)v : FREEXL_CRAFTED_FILE;
        return true;
    }
    if (tag != R_BOOK || !take(r, &v, 8) || v < 0) return false;
    size_t declared = v > SHEET_MAX_SHEETS ? SHEET_MAX_SHEETS : (size_t)v;
    xb->sheets = xcalloc(declared ? declared : 1, sizeof *xb->sheets);
    b->names = arena_calloc(b->arena, declared ? declared : 1, sizeof *b->names);
    while (take(r, &tag, 1)) {
        xls_sheet *cur = xb->count ? &xb->sheets[xb->count - 1] : NULL;
        if (tag == R_END) return r->p == r->end && xb->count == declared;
        if (tag == R_SHEET && xb->count < declared) {
            if (!take_str(r, b->arena, &b->names[xb->count])) return false;
            xb->count++;
        } else if (tag == R_SHEET_ERROR && cur) {
            if (!take(r, &v, 8)) return false;
            cur->error = (int)v;
        } else if (tag == R_CELL && cur) {
            if (!take_cell(r, b->arena, cur)) return false;
        } else {
            return false;
        }
    }
    return false;
}

static void xls_close(void *impl) {
    xls_book *xb = impl;
    if (!xb) return;
    for (size_t k = 0; k < xb->count; k++) sheet_entries_free(&xb->sheets[k].cells);
    free(xb->sheets);
    free(xb);
}

static int xls_grid(sheet_book *b, size_t i, sheet_grid *out, char *err, size_t errlen) {
    xls_book *xb = b->impl;
    if (xb->sheets[i].error) return xls_failure(err, errlen, xb->sheets[i].error);
    return sheet_grid_build(b->arena, &xb->sheets[i].cells, out, err, errlen);
}

static const struct sheet_backend XLS_BACKEND = {.format = "xls", .grid = xls_grid, .close = xls_close};

int sheet_xls_open(sheet_book *b, const void *data, size_t len, char *err, size_t errlen) {
    xls_book *xb = xcalloc(1, sizeof *xb);
    b->backend = &XLS_BACKEND;
    b->impl = xb;
    strbuf_t out;
    strbuf_init(&out, 65536);
    int rc = run_child(data, len, &out, err, errlen);
    int book_error = 0;
    reader r = {out.data, out.data + out.len};
    if (rc == 0 && !read_stream(b, xb, &r, &book_error))
        rc = sheet_fail(err, errlen, "Excel 97-2003 workbook could not be read: the reader stopped on this file "
                                     "(malformed or unsupported)");
    if (rc == 0 && book_error) rc = xls_failure(err, errlen, book_error);
    strbuf_free(&out);
    if (rc == 0) b->count = xb->count;
    return rc;
}
