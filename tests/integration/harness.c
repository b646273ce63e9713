/* Integration test helpers; see harness.h. */
#include "tests/integration/harness.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <fastcgi.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fcgi/proto.h"
#include "lib/strbuf.h"

const char *harness_env(const char *name) {
    const char *v = getenv(name);
    if (!v || !*v) cr_skip_test("%s is not set: run through scripts/run-tests.sh", name);
    return v;
}

char *harness_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot read %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    if (len) *len = (size_t)n;
    return buf;
}

double harness_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int connect_port(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        close(fd);
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

static int url_port(void) {
    const char *url = harness_env("LITESET_TEST_URL");
    const char *colon = strrchr(url, ':');
    return colon ? atoi(colon + 1) : 80;
}

void fcgi_send_all(int fd, const void *buf, size_t len) {
    const char *p = buf;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        p += n;
        len -= (size_t)n;
    }
}

static void parse_head(http_response_t *r, char *head) {
    char *line = strtok(head, "\r\n");
    if (!line) return;
    char *sp = strchr(line, ' ');
    r->status = sp ? atoi(sp + 1) : 0;
    char *sp2 = sp ? strchr(sp + 1, ' ') : NULL;
    r->reason = strdup(sp2 ? sp2 + 1 : "");
    while ((line = strtok(NULL, "\r\n")) && r->nheaders < 64) {
        char *colon = strchr(line, ':');
        if (!colon) continue;
        *colon = '\0';
        char *v = colon + 1;
        while (*v == ' ') v++;
        r->headers[r->nheaders].name = strdup(line);
        r->headers[r->nheaders].value = strdup(v);
        r->nheaders++;
    }
}

http_response_t *http_request(const char *method, const char *path, const char *const *extra_headers,
                              const char *body, size_t body_len) {
    double t0 = harness_now();
    int fd = connect_port(url_port());
    if (fd < 0) return NULL;
    strbuf_t req;
    strbuf_init(&req, 512);
    strbuf_printf(&req, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n", method, path);
    for (const char *const *h = extra_headers; h && *h; h++) strbuf_printf(&req, "%s\r\n", *h);
    if (body) strbuf_printf(&req, "Content-Length: %zu\r\n", body_len);
    strbuf_puts(&req, "\r\n");
    if (body) strbuf_append(&req, body, body_len);
    fcgi_send_all(fd, req.data, req.len);
    strbuf_free(&req);

    strbuf_t in;
    strbuf_init(&in, 4096);
    char buf[65536];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
        if (n > 0) strbuf_append(&in, buf, (size_t)n);
    close(fd);
    char *sep = strstr(in.data, "\r\n\r\n");
    if (!sep) {
        strbuf_free(&in);
        return NULL;
    }
    http_response_t *r = calloc(1, sizeof *r);
    size_t head_len = (size_t)(sep - in.data);
    char *head = strndup(in.data, head_len);
    parse_head(r, head);
    free(head);
    const char *b = sep + 4;
    size_t blen = in.len - head_len - 4;
    const char *te = http_header(r, "Transfer-Encoding");
    strbuf_t out;
    strbuf_init(&out, blen + 1);
    if (te && !strcasecmp(te, "chunked")) {
        const char *p = b, *end = b + blen;
        while (p < end) {
            size_t sz = strtoul(p, NULL, 16);
            const char *crlf = strstr(p, "\r\n");
            if (!crlf || sz == 0) break;
            p = crlf + 2;
            if ((size_t)(end - p) < sz) break;
            strbuf_append(&out, p, sz);
            p += sz + 2;
        }
    } else {
        strbuf_append(&out, b, blen);
    }
    strbuf_free(&in);
    r->body = out.data;
    r->body_len = out.len;
    r->elapsed = harness_now() - t0;
    return r;
}

http_response_t *http_get(const char *path) { return http_request("GET", path, NULL, NULL, 0); }

void http_free(http_response_t *r) {
    if (!r) return;
    for (int i = 0; i < r->nheaders; i++) {
        free(r->headers[i].name);
        free(r->headers[i].value);
    }
    free(r->reason);
    free(r->body);
    free(r);
}

int http_header_index(const http_response_t *r, const char *name) {
    for (int i = 0; i < r->nheaders; i++)
        if (!strcasecmp(r->headers[i].name, name)) return i;
    return -1;
}

const char *http_header(const http_response_t *r, const char *name) {
    int i = http_header_index(r, name);
    return i < 0 ? NULL : r->headers[i].value;
}

int http_header_count(const http_response_t *r, const char *name) {
    int n = 0;
    for (int i = 0; i < r->nheaders; i++)
        if (!strcasecmp(r->headers[i].name, name)) n++;
    return n;
}

int fcgi_connect_unix(const char *path) {
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof sun) < 0) {
        if (fd >= 0) close(fd);
        return -1;
    }
    return fd;
}

int fcgi_connect(void) { return connect_port(atoi(harness_env("LITESET_TEST_FCGI_PORT"))); }

void fcgi_build_request(strbuf_t *out, uint16_t id, bool keep_conn, const char *const *nv) {
    FCGI_BeginRequestBody b = {.roleB1 = 0, .roleB0 = FCGI_RESPONDER, .flags = keep_conn ? FCGI_KEEP_CONN : 0};
    fcgi_write_record(out, FCGI_BEGIN_REQUEST, id, &b, sizeof b);
    strbuf_t params;
    strbuf_init(&params, 256);
    for (const char *const *p = nv; p && p[0] && p[1]; p += 2)
        fcgi_nv_append(&params, p[0], strlen(p[0]), p[1], strlen(p[1]));
    fcgi_write_stream(out, FCGI_PARAMS, id, params.data, params.len);
    fcgi_write_record(out, FCGI_PARAMS, id, NULL, 0);
    strbuf_free(&params);
}

void fcgi_build_stdin(strbuf_t *out, uint16_t id, const void *body, size_t len) {
    fcgi_write_stream(out, FCGI_STDIN, id, body, len);
    fcgi_write_record(out, FCGI_STDIN, id, NULL, 0);
}

/* Reads until buf holds one whole record or timeout/EOF. */
static int read_some(int fd, strbuf_t *buf, double deadline) {
    double left = deadline - harness_now();
    if (left <= 0) return 0;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, (int)(left * 1000) + 1) <= 0) return 0;
    char tmp[65536];
    ssize_t n = read(fd, tmp, sizeof tmp);
    if (n <= 0) return -1;
    strbuf_append(buf, tmp, (size_t)n);
    return 1;
}

typedef struct {
    strbuf_t buf;
    int fd;
} reader_t;

static reader_t g_reader; /* one connection at a time per test process */

static bool next_record(int fd, fcgi_record_t *rec, double deadline, bool *eof, size_t *consumed) {
    if (g_reader.fd != fd || !g_reader.buf.data) {
        if (g_reader.buf.data) strbuf_free(&g_reader.buf);
        strbuf_init(&g_reader.buf, 65536);
        g_reader.fd = fd;
    }
    for (;;) {
        ssize_t n = fcgi_record_parse((const uint8_t *)g_reader.buf.data, g_reader.buf.len, rec);
        if (n > 0) {
            *consumed = (size_t)n;
            return true;
        }
        if (n < 0) return false;
        int r = read_some(fd, &g_reader.buf, deadline);
        if (r < 0) *eof = true;
        if (r <= 0) return false;
    }
}

bool fcgi_read_record(int fd, uint8_t *type, uint16_t *id, strbuf_t *content, double timeout) {
    fcgi_record_t rec;
    bool eof = false;
    size_t used;
    if (!next_record(fd, &rec, harness_now() + timeout, &eof, &used)) return false;
    *type = rec.type;
    *id = rec.request_id;
    strbuf_append(content, rec.content, rec.content_len);
    strbuf_consume(&g_reader.buf, used);
    return true;
}

int fcgi_read_replies(int fd, const uint16_t *ids, fcgi_reply_t *replies, int n, double timeout, bool *eof) {
    double deadline = harness_now() + timeout;
    int ended = 0;
    *eof = false;
    for (int i = 0; i < n; i++) {
        memset(&replies[i], 0, sizeof replies[i]);
        replies[i].id = ids[i];
    }
    while (ended < n) {
        fcgi_record_t rec;
        size_t used;
        if (!next_record(fd, &rec, deadline, eof, &used)) break;
        for (int i = 0; i < n; i++) {
            if (replies[i].id != rec.request_id) continue;
            if (rec.type == FCGI_STDOUT && rec.content_len) {
                replies[i].stdout_data = realloc(replies[i].stdout_data, replies[i].stdout_len + rec.content_len + 1);
                memcpy(replies[i].stdout_data + replies[i].stdout_len, rec.content, rec.content_len);
                replies[i].stdout_len += rec.content_len;
                replies[i].stdout_data[replies[i].stdout_len] = '\0';
                replies[i].stdout_records++;
            } else if (rec.type == FCGI_END_REQUEST && !replies[i].ended) {
                replies[i].ended = true;
                replies[i].protocol_status = rec.content_len >= 5 ? rec.content[4] : 0xff;
                ended++;
            }
        }
        strbuf_consume(&g_reader.buf, used);
    }
    return ended;
}

void fcgi_reply_free(fcgi_reply_t *r) {
    free(r->stdout_data);
    r->stdout_data = NULL;
}

int harness_stack(const char *action) {
    const char *sh = harness_env("LITESET_STACK_SH");
    const char *dir = harness_env("LITESET_TEST_DIR");
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", 1);
        if (devnull >= 0) dup2(devnull, 1);
        execl(sh, sh, action, dir, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
