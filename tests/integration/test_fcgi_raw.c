/* FastCGI protocol against the running pool, bypassing nginx: management
 * records, fragmented and multiplexed requests, keep-conn, abort, unknown
 * roles, large responses, and garbage (connection closed, process alive). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fcgi/proto.h"
#include "lib/strbuf.h"
#include "tests/integration/harness.h"

static const char *const GET_HEALTH[] = {"REQUEST_METHOD", "GET", "PATH_INFO", "/health", "QUERY_STRING", "",
                                         "HTTP_ACCEPT", "application/json", NULL};

static void build_get(strbuf_t *out, uint16_t id, bool keep, const char *const *nv) {
    fcgi_build_request(out, id, keep, nv);
    fcgi_build_stdin(out, id, NULL, 0);
}

/* A health request on a fresh connection still works (the process is alive). */
static void assert_alive(void) {
    int fd = fcgi_connect();
    cr_assert_geq(fd, 0);
    strbuf_t b;
    strbuf_init(&b, 512);
    build_get(&b, 1, false, GET_HEALTH);
    fcgi_send_all(fd, b.data, b.len);
    strbuf_free(&b);
    uint16_t ids[] = {1};
    fcgi_reply_t rep[1];
    bool eof;
    cr_assert_eq(fcgi_read_replies(fd, ids, rep, 1, 5, &eof), 1, "worker did not answer");
    cr_assert(strstr(rep[0].stdout_data, "Status: 200 OK\r\n"));
    fcgi_reply_free(&rep[0]);
    close(fd);
}

Test(fcgi_raw, get_values) {
    int fd = fcgi_connect();
    cr_assert_geq(fd, 0);
    strbuf_t b, nv, content;
    strbuf_init(&b, 128);
    strbuf_init(&nv, 128);
    strbuf_init(&content, 128);
    fcgi_nv_append(&nv, "FCGI_MPXS_CONNS", 15, "", 0);
    fcgi_nv_append(&nv, "FCGI_UNKNOWN_VAR", 16, "", 0);
    fcgi_write_record(&b, FCGI_GET_VALUES, 0, nv.data, nv.len);
    fcgi_send_all(fd, b.data, b.len);
    uint8_t type;
    uint16_t id;
    cr_assert(fcgi_read_record(fd, &type, &id, &content, 5));
    cr_assert_eq(type, FCGI_GET_VALUES_RESULT);
    cr_assert_eq(id, 0);
    strbuf_t expect;
    strbuf_init(&expect, 64);
    fcgi_nv_append(&expect, "FCGI_MPXS_CONNS", 15, "1", 1);
    cr_assert_eq(content.len, expect.len);
    cr_assert(!memcmp(content.data, expect.data, expect.len));
    strbuf_free(&b);
    strbuf_free(&nv);
    strbuf_free(&content);
    strbuf_free(&expect);
    close(fd);
}

Test(fcgi_raw, fragmented_byte_by_byte) {
    int fd = fcgi_connect();
    cr_assert_geq(fd, 0);
    strbuf_t b;
    strbuf_init(&b, 512);
    build_get(&b, 7, false, GET_HEALTH);
    for (size_t i = 0; i < b.len; i++) {
        fcgi_send_all(fd, b.data + i, 1);
        if (i % 16 == 0) usleep(1000);
    }
    uint16_t ids[] = {7};
    fcgi_reply_t rep[1];
    bool eof;
    cr_assert_eq(fcgi_read_replies(fd, ids, rep, 1, 5, &eof), 1);
    cr_assert_eq(rep[0].protocol_status, FCGI_REQUEST_COMPLETE);
    cr_assert(strstr(rep[0].stdout_data, "\r\n\r\nOK"), "%s", rep[0].stdout_data);
    fcgi_reply_free(&rep[0]);
    strbuf_free(&b);
    close(fd);
}

Test(fcgi_raw, multiplexed_interleaved_and_keep_conn) {
    int fd = fcgi_connect();
    cr_assert_geq(fd, 0);
    /* Request 1 sleeps in PostgreSQL, request 2 is /health: interleave their
     * records; 2 must finish first on the same connection. */
    static const char *const SLEEP[] = {"REQUEST_METHOD", "GET", "PATH_INFO", "/api/v1/_liteset/sleep",
                                        "QUERY_STRING", "seconds=0.5", NULL};
    strbuf_t r1, r2, mix;
    strbuf_init(&r1, 512);
    strbuf_init(&r2, 512);
    strbuf_init(&mix, 1024);
    build_get(&r1, 1, true, SLEEP);
    build_get(&r2, 2, true, GET_HEALTH);
    /* Split both into records and alternate them. */
    size_t o1 = 0, o2 = 0;
    while (o1 < r1.len || o2 < r2.len) {
        fcgi_record_t rec;
        ssize_t n;
        if (o1 < r1.len && (n = fcgi_record_parse((uint8_t *)r1.data + o1, r1.len - o1, &rec)) > 0) {
            strbuf_append(&mix, r1.data + o1, (size_t)n);
            o1 += (size_t)n;
        }
        if (o2 < r2.len && (n = fcgi_record_parse((uint8_t *)r2.data + o2, r2.len - o2, &rec)) > 0) {
            strbuf_append(&mix, r2.data + o2, (size_t)n);
            o2 += (size_t)n;
        }
    }
    fcgi_send_all(fd, mix.data, mix.len);
    uint16_t first[] = {2};
    fcgi_reply_t rep[2];
    bool eof;
    double t0 = harness_now();
    cr_assert_eq(fcgi_read_replies(fd, first, rep, 1, 5, &eof), 1);
    cr_assert_lt(harness_now() - t0, 0.3, "health waited behind the slow request");
    cr_assert(strstr(rep[0].stdout_data, "\r\n\r\nOK"));
    fcgi_reply_free(&rep[0]);
    uint16_t second[] = {1};
    cr_assert_eq(fcgi_read_replies(fd, second, rep, 1, 5, &eof), 1);
    cr_assert(strstr(rep[0].stdout_data, "{\"slept\":"), "%s", rep[0].stdout_data);
    fcgi_reply_free(&rep[0]);
    /* keep-conn: the same connection serves another request. */
    strbuf_clear(&r2);
    build_get(&r2, 3, true, GET_HEALTH);
    fcgi_send_all(fd, r2.data, r2.len);
    uint16_t third[] = {3};
    cr_assert_eq(fcgi_read_replies(fd, third, rep, 1, 5, &eof), 1);
    fcgi_reply_free(&rep[0]);
    strbuf_free(&r1);
    strbuf_free(&r2);
    strbuf_free(&mix);
    close(fd);
}

Test(fcgi_raw, abort_request_cancels_slow_query) {
    int fd = fcgi_connect();
    cr_assert_geq(fd, 0);
    static const char *const SLEEP[] = {"REQUEST_METHOD", "GET", "PATH_INFO", "/api/v1/_liteset/sleep",
                                        "QUERY_STRING", "seconds=20", NULL};
    strbuf_t b;
    strbuf_init(&b, 512);
    build_get(&b, 5, true, SLEEP);
    fcgi_send_all(fd, b.data, b.len);
    usleep(200 * 1000);
    strbuf_clear(&b);
    fcgi_write_record(&b, FCGI_ABORT_REQUEST, 5, NULL, 0);
    double t0 = harness_now();
    fcgi_send_all(fd, b.data, b.len);
    uint16_t ids[] = {5};
    fcgi_reply_t rep[1];
    bool eof;
    cr_assert_eq(fcgi_read_replies(fd, ids, rep, 1, 5, &eof), 1, "no END_REQUEST after abort");
    cr_assert_lt(harness_now() - t0, 1.0);
    cr_assert_eq(rep[0].stdout_len, 0, "an aborted request must not answer");
    fcgi_reply_free(&rep[0]);
    strbuf_free(&b);
    close(fd);
    assert_alive();
}

Test(fcgi_raw, peer_close_during_slow_request) {
    int fd = fcgi_connect();
    cr_assert_geq(fd, 0);
    static const char *const SLEEP[] = {"REQUEST_METHOD", "GET", "PATH_INFO", "/api/v1/_liteset/sleep",
                                        "QUERY_STRING", "seconds=20", NULL};
    strbuf_t b;
    strbuf_init(&b, 512);
    build_get(&b, 9, true, SLEEP);
    fcgi_send_all(fd, b.data, b.len);
    strbuf_free(&b);
    usleep(200 * 1000);
    close(fd);
    usleep(200 * 1000);
    assert_alive();
}

Test(fcgi_raw, unknown_role_and_unknown_management_type) {
    int fd = fcgi_connect();
    cr_assert_geq(fd, 0);
    strbuf_t b;
    strbuf_init(&b, 64);
    FCGI_BeginRequestBody body = {.roleB0 = FCGI_AUTHORIZER};
    fcgi_write_record(&b, FCGI_BEGIN_REQUEST, 4, &body, sizeof body);
    fcgi_write_record(&b, 42, 0, "x", 1);
    fcgi_send_all(fd, b.data, b.len);
    uint16_t ids[] = {4};
    fcgi_reply_t rep[1];
    bool eof;
    cr_assert_eq(fcgi_read_replies(fd, ids, rep, 1, 5, &eof), 1);
    cr_assert_eq(rep[0].protocol_status, FCGI_UNKNOWN_ROLE);
    uint8_t type;
    uint16_t id;
    strbuf_t content;
    strbuf_init(&content, 16);
    cr_assert(fcgi_read_record(fd, &type, &id, &content, 5));
    cr_assert_eq(type, FCGI_UNKNOWN_TYPE);
    cr_assert_eq((uint8_t)content.data[0], 42);
    strbuf_free(&content);
    strbuf_free(&b);
    close(fd);
}

Test(fcgi_raw, garbage_closes_connection_process_survives) {
    int fd = fcgi_connect();
    cr_assert_geq(fd, 0);
    const char *junk = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    fcgi_send_all(fd, junk, strlen(junk));
    uint16_t ids[] = {1};
    fcgi_reply_t rep[1];
    bool eof = false;
    cr_assert_eq(fcgi_read_replies(fd, ids, rep, 1, 5, &eof), 0);
    cr_assert(eof, "the connection should be closed on garbage");
    close(fd);
    assert_alive();
}

Test(fcgi_raw, large_response_spans_records) {
    int fd = fcgi_connect();
    cr_assert_geq(fd, 0);
    size_t n = 300000;
    char *body = malloc(n);
    for (size_t i = 0; i < n; i++) body[i] = (char)('A' + i % 23);
    char len[32];
    snprintf(len, sizeof len, "%zu", n);
    const char *const nv[] = {"REQUEST_METHOD", "POST", "PATH_INFO", "/api/v1/_liteset/echo", "CONTENT_LENGTH",
                              len, "CONTENT_TYPE", "text/plain", NULL};
    strbuf_t b;
    strbuf_init(&b, n + 1024);
    fcgi_build_request(&b, 11, false, nv);
    fcgi_build_stdin(&b, 11, body, n);
    fcgi_send_all(fd, b.data, b.len);
    uint16_t ids[] = {11};
    fcgi_reply_t rep[1];
    bool eof;
    cr_assert_eq(fcgi_read_replies(fd, ids, rep, 1, 10, &eof), 1);
    cr_assert_gt(rep[0].stdout_records, 4, "a 300 kB response must span several records");
    char *sep = strstr(rep[0].stdout_data, "\r\n\r\n");
    cr_assert(sep);
    cr_assert_eq(rep[0].stdout_len - (size_t)(sep + 4 - rep[0].stdout_data), n);
    cr_assert(!memcmp(sep + 4, body, n));
    fcgi_reply_free(&rep[0]);
    strbuf_free(&b);
    free(body);
    close(fd);
}

Test(fcgi_raw, oversized_params_are_431) {
    int fd = fcgi_connect();
    cr_assert_geq(fd, 0);
    size_t n = (1u << 20) + 4096; /* past the 1 MiB params limit */
    char *big = malloc(n + 1);
    memset(big, 'a', n);
    big[n] = '\0';
    const char *const nv[] = {"REQUEST_METHOD", "GET", "PATH_INFO", "/health", "HTTP_X_BIG", big, NULL};
    strbuf_t b;
    strbuf_init(&b, n + 1024);
    fcgi_build_request(&b, 3, false, nv);
    fcgi_build_stdin(&b, 3, NULL, 0);
    fcgi_send_all(fd, b.data, b.len);
    uint16_t ids[] = {3};
    fcgi_reply_t rep[1];
    bool eof;
    cr_assert_eq(fcgi_read_replies(fd, ids, rep, 1, 10, &eof), 1);
    cr_assert(strstr(rep[0].stdout_data, "Status: 431 REQUEST HEADER FIELDS TOO LARGE"), "%.200s", rep[0].stdout_data);
    fcgi_reply_free(&rep[0]);
    strbuf_free(&b);
    free(big);
    close(fd);
    assert_alive();
}
