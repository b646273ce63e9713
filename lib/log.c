/* Structured JSON-lines logging; see log.h. A line is built in memory and
 * written with one write(2) so lines from pool workers never interleave. */
#include "lib/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "lib/strbuf.h"

static log_level_t g_level = LOG_INFO;
static const char *g_component = "liteset";
static const char *const level_names[] = {"DEBUG", "INFO", "WARNING", "ERROR"};

void log_set_level(log_level_t lvl) { g_level = lvl; }
void log_set_component(const char *name) { g_component = name; }

static void begin_line(strbuf_t *sb, log_level_t lvl) {
    struct timeval tv;
    struct tm tm;
    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    char ts[40];
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
    strbuf_printf(sb, "{\"ts\":\"%s.%03ldZ\",\"level\":\"%s\",\"component\":\"%s\",\"pid\":%d", ts,
                  (long)(tv.tv_usec / 1000), level_names[lvl], g_component, (int)getpid());
}

static void end_line(strbuf_t *sb) {
    strbuf_append(sb, "}\n", 2);
    ssize_t off = 0;
    while ((size_t)off < sb->len) {
        ssize_t n = write(STDERR_FILENO, sb->data + off, sb->len - (size_t)off);
        if (n <= 0) break;
        off += n;
    }
    strbuf_free(sb);
}

void log_msg(log_level_t lvl, const char *fmt, ...) {
    if (lvl < g_level) return;
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    strbuf_t sb;
    strbuf_init(&sb, 256);
    begin_line(&sb, lvl);
    strbuf_puts(&sb, ",\"msg\":");
    strbuf_json_string(&sb, msg, strlen(msg));
    end_line(&sb);
}

void log_request(const char *method, const char *path, int status, double duration_ms,
                 const char *user, const char *request_id) {
    if (LOG_INFO < g_level) return;
    strbuf_t sb;
    strbuf_init(&sb, 256);
    begin_line(&sb, LOG_INFO);
    strbuf_puts(&sb, ",\"event\":\"request\",\"method\":");
    strbuf_json_string(&sb, method ? method : "", method ? strlen(method) : 0);
    strbuf_puts(&sb, ",\"path\":");
    strbuf_json_string(&sb, path ? path : "", path ? strlen(path) : 0);
    strbuf_printf(&sb, ",\"status\":%d,\"duration_ms\":%.3f,\"user\":", status, duration_ms);
    if (user)
        strbuf_json_string(&sb, user, strlen(user));
    else
        strbuf_puts(&sb, "null");
    strbuf_puts(&sb, ",\"request_id\":");
    strbuf_json_string(&sb, request_id ? request_id : "", request_id ? strlen(request_id) : 0);
    end_line(&sb);
}
