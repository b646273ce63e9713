/* Process lifecycle of liteset-fcgi started on its own (--listen unix:...,
 * one worker) with the stack's settings: SIGTERM lets an in-flight slow
 * request finish before the process exits; SIGHUP reloads the settings. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fcgi/proto.h"
#include "lib/strbuf.h"
#include "tests/integration/harness.h"

static char g_dir[64], g_sock[128], g_cfg[128];
static pid_t g_pid;

/* Copies the stack's settings, appends extra lines, starts the process. */
static void start(const char *extra) {
    snprintf(g_dir, sizeof g_dir, "/tmp/liteset-life-XXXXXX");
    cr_assert(mkdtemp(g_dir));
    snprintf(g_sock, sizeof g_sock, "%s/fcgi.sock", g_dir);
    snprintf(g_cfg, sizeof g_cfg, "%s/superset_config.py", g_dir);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", harness_env("LITESET_TEST_CONFIG"), g_cfg);
    cr_assert_eq(system(cmd), 0);
    FILE *f = fopen(g_cfg, "a");
    fprintf(f, "\n%s\n", extra);
    fclose(f);
    char bin[1024];
    snprintf(bin, sizeof bin, "%s/liteset-fcgi", harness_env("LITESET_TEST_BIN"));
    char listen[160];
    snprintf(listen, sizeof listen, "unix:%s", g_sock);
    g_pid = fork();
    if (g_pid == 0) {
        setenv("SUPERSET_CONFIG_PATH", g_cfg, 1);
        execl(bin, bin, "--listen", listen, "--workers", "1", (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 100 && access(g_sock, F_OK) != 0; i++) usleep(50000);
    usleep(300000); /* the worker forks after the bind */
}

static void stop(void) {
    if (g_pid > 0) { /* graceful first: the master forwards SIGTERM to its worker */
        kill(g_pid, SIGTERM);
        int i = 0;
        while (waitpid(g_pid, NULL, WNOHANG) == 0 && i++ < 100) usleep(50000);
        if (i > 100) {
            kill(g_pid, SIGKILL);
            waitpid(g_pid, NULL, 0);
        }
    }
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    if (system(cmd) != 0) fprintf(stderr, "cleanup of %s failed\n", g_dir);
}

static void send_request(int fd, uint16_t id, const char *path, const char *query, const char *body) {
    char len[32];
    snprintf(len, sizeof len, "%zu", body ? strlen(body) : 0);
    const char *const nv[] = {"REQUEST_METHOD", body ? "POST" : "GET", "PATH_INFO", path, "QUERY_STRING", query,
                              "CONTENT_LENGTH", len, "HTTP_ACCEPT", "application/json", NULL};
    strbuf_t b;
    strbuf_init(&b, 1024);
    fcgi_build_request(&b, id, true, nv);
    fcgi_build_stdin(&b, id, body, body ? strlen(body) : 0);
    fcgi_send_all(fd, b.data, b.len);
    strbuf_free(&b);
}

Test(lifecycle, sigterm_drains_in_flight_requests, .timeout = 30) {
    start("LITESET_PG_POOL_SIZE = 4");
    int fd = fcgi_connect_unix(g_sock);
    cr_assert_geq(fd, 0, "liteset-fcgi did not start");
    send_request(fd, 1, "/api/v1/_liteset/sleep", "seconds=1", NULL);
    usleep(300000);
    kill(g_pid, SIGTERM);
    uint16_t ids[] = {1};
    fcgi_reply_t rep[1];
    bool eof;
    cr_assert_eq(fcgi_read_replies(fd, ids, rep, 1, 10, &eof), 1, "the in-flight request was dropped");
    cr_assert(strstr(rep[0].stdout_data, "Status: 200 OK"), "%s", rep[0].stdout_data);
    cr_assert(strstr(rep[0].stdout_data, "{\"slept\":1"), "%s", rep[0].stdout_data);
    fcgi_reply_free(&rep[0]);
    int status = -1;
    for (int i = 0; i < 100; i++) {
        if (waitpid(g_pid, &status, WNOHANG) == g_pid) break;
        usleep(50000);
    }
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "liteset-fcgi did not exit cleanly after draining");
    g_pid = 0;
    close(fd);
    stop();
}

Test(lifecycle, sighup_reloads_settings, .timeout = 30) {
    start("LITESET_MAX_REQUEST_BODY = 1000000");
    char *big = malloc(2001);
    memset(big, 'x', 2000);
    big[2000] = '\0';
    int fd = fcgi_connect_unix(g_sock);
    cr_assert_geq(fd, 0);
    send_request(fd, 1, "/api/v1/_liteset/echo", "", big);
    uint16_t ids[] = {1};
    fcgi_reply_t rep[1];
    bool eof;
    cr_assert_eq(fcgi_read_replies(fd, ids, rep, 1, 5, &eof), 1);
    cr_assert(strstr(rep[0].stdout_data, "Status: 200 OK"));
    fcgi_reply_free(&rep[0]);
    FILE *f = fopen(g_cfg, "a");
    fprintf(f, "LITESET_MAX_REQUEST_BODY = 1000\n");
    fclose(f);
    kill(g_pid, SIGHUP); /* the master forwards it to the worker */
    usleep(500000);
    send_request(fd, 2, "/api/v1/_liteset/echo", "", big);
    ids[0] = 2;
    cr_assert_eq(fcgi_read_replies(fd, ids, rep, 1, 5, &eof), 1);
    cr_assert(strstr(rep[0].stdout_data, "Status: 413 REQUEST ENTITY TOO LARGE"), "%s", rep[0].stdout_data);
    fcgi_reply_free(&rep[0]);
    close(fd);
    free(big);
    stop();
}

Test(lifecycle, request_timeout_answers_504, .timeout = 30) {
    start("LITESET_REQUEST_TIMEOUT = 0.5");
    int fd = fcgi_connect_unix(g_sock);
    cr_assert_geq(fd, 0);
    double t0 = harness_now();
    send_request(fd, 1, "/api/v1/_liteset/sleep", "seconds=5", NULL);
    uint16_t ids[] = {1};
    fcgi_reply_t rep[1];
    bool eof;
    cr_assert_eq(fcgi_read_replies(fd, ids, rep, 1, 5, &eof), 1);
    double took = harness_now() - t0;
    cr_assert(strstr(rep[0].stdout_data, "Status: 504 GATEWAY TIMEOUT"), "%s", rep[0].stdout_data);
    cr_assert(strstr(rep[0].stdout_data, "504 Gateway Timeout: The connection to an upstream server timed out."));
    cr_assert_lt(took, 2.0, "the timeout must cut the 5 s query short (took %.2f s)", took);
    fcgi_reply_free(&rep[0]);
    /* the worker is still healthy */
    send_request(fd, 2, "/health", "", NULL);
    ids[0] = 2;
    cr_assert_eq(fcgi_read_replies(fd, ids, rep, 1, 5, &eof), 1);
    cr_assert(strstr(rep[0].stdout_data, "Status: 200 OK"));
    fcgi_reply_free(&rep[0]);
    close(fd);
    stop();
}
