/* Structured logging: one JSON object per line on stderr (or a file).
 * Access lines carry method, path, status, duration, user and request id. */
#ifndef LITESET_LOG_H
#define LITESET_LOG_H

typedef enum { LOG_DEBUG, LOG_INFO, LOG_WARNING, LOG_ERROR } log_level_t;

void log_set_level(log_level_t lvl);
void log_set_component(const char *name); /* "fcgi", "cli", ... (static string) */
void log_msg(log_level_t lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

/* One access-log line per request. user may be NULL (anonymous). */
void log_request(const char *method, const char *path, int status, double duration_ms,
                 const char *user, const char *request_id);

#endif
