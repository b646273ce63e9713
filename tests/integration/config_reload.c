/* Appending to the stack's settings and reloading the workers; see config_reload.h. */
#include "tests/integration/config_reload.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "tests/integration/harness.h"

static char *orig;
static size_t orig_len;

static char *slurp(const char *path, size_t *len) {
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

void config_reload_save(void) { orig = slurp(harness_env("LITESET_TEST_CONFIG"), &orig_len); }

void config_reload_with(const char *extra) {
    FILE *f = fopen(harness_env("LITESET_TEST_CONFIG"), "wb");
    cr_assert_not_null(f);
    fwrite(orig, 1, orig_len, f);
    if (extra) fprintf(f, "\n%s\n", extra);
    fclose(f);
    char pidfile[512];
    snprintf(pidfile, sizeof pidfile, "%s/run/fcgi.pid", harness_env("LITESET_TEST_DIR"));
    char *pids = slurp(pidfile, NULL);
    for (char *p = pids; *p;) {
        while (*p && (*p < '0' || *p > '9')) p++;
        if (!*p) break;
        long pid = strtol(p, &p, 10);
        if (pid > 0) kill((pid_t)pid, SIGHUP);
    }
    free(pids);
    usleep(600 * 1000);
}

void config_reload_restore(void) {
    if (orig) config_reload_with(NULL);
    free(orig);
    orig = NULL;
}
