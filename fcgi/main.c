/* liteset-fcgi: the FastCGI application process.
 *
 *   liteset-fcgi                      serve the listening socket on fd 0
 *                                     (spawn-fcgi, mod_fcgid)
 *   liteset-fcgi --listen ADDR [--workers N]
 *                                     bind ADDR (host:port or unix:/path) and
 *                                     prefork N workers (development)
 *
 * Settings come from SUPERSET_CONFIG_PATH (see config/config.h). SIGTERM and
 * SIGINT drain in-flight requests, then exit; SIGHUP reloads the settings. */
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fcgi/app.h"
#include "fcgi/server.h"
#include "lib/fiber.h"
#include "lib/log.h"
#include "lib/offload.h"

#define DRAIN_TIMEOUT 30.0

typedef struct worker_ctx {
    struct ev_loop *loop;
    app_t *app;
    server_t *srv;
    ev_signal sigterm, sigint, sighup;
    ev_timer drain_deadline;
} worker_ctx_t;

static config_t *load_config(void) {
    char *err = NULL;
    config_load_opts_t opts = {.allow_default_secret = getenv("LITESET_ALLOW_DEFAULT_SECRET") != NULL};
    config_t *cfg = config_load(&opts, &err);
    if (!cfg) {
        log_error("configuration error: %s", err ? err : "unknown");
        free(err);
    }
    return cfg;
}

static void drained(void *ud) {
    worker_ctx_t *w = ud;
    log_info("drained; exiting");
    ev_break(w->loop, EVBREAK_ALL);
}

static void drain_deadline_cb(struct ev_loop *loop, ev_timer *t, int revents) {
    (void)t;
    (void)revents;
    log_warn("drain timeout: exiting with requests still in flight");
    ev_break(loop, EVBREAK_ALL);
}

static void on_stop_signal(struct ev_loop *loop, ev_signal *s, int revents) {
    (void)revents;
    worker_ctx_t *w = s->data;
    log_info("signal %d: draining %zu in-flight request(s)", s->signum, server_inflight(w->srv));
    ev_timer_init(&w->drain_deadline, drain_deadline_cb, DRAIN_TIMEOUT, 0);
    ev_timer_start(loop, &w->drain_deadline);
    ev_unref(loop);
    server_drain(w->srv, drained, w);
}

static void on_hup(struct ev_loop *loop, ev_signal *s, int revents) {
    (void)loop;
    (void)revents;
    worker_ctx_t *w = s->data;
    config_t *cfg = load_config();
    if (!cfg) {
        log_error("reload failed; keeping the current configuration");
        return;
    }
    app_reload(w->app, cfg);
    server_set_limits(w->srv, (size_t)config_int(cfg, "LITESET_MAX_REQUEST_BODY", 100 << 20),
                      config_real(cfg, "LITESET_REQUEST_TIMEOUT", 60));
}

static int run_worker(int listen_fd) {
    config_t *cfg = load_config();
    if (!cfg) return 1;
    worker_ctx_t w = {0};
    w.loop = ev_default_loop(EVFLAG_AUTO);
    fiber_init(w.loop, (size_t)config_int(cfg, "LITESET_FIBER_STACK_KB", 256) * 1024);
    offload_init(w.loop, (int)config_int(cfg, "LITESET_OFFLOAD_THREADS", 2));
    size_t max_body = (size_t)config_int(cfg, "LITESET_MAX_REQUEST_BODY", 100 << 20);
    const char *err = NULL;
    w.app = app_new(w.loop, cfg, &err);
    if (!w.app) {
        log_error("startup failed: %s", err);
        return 1;
    }
    server_opts_t so = {.max_body = max_body, .request_timeout = config_real(cfg, "LITESET_REQUEST_TIMEOUT", 60)};
    w.srv = server_new(w.loop, listen_fd, &so, app_handle, app_begin, app_end, w.app);
    ev_signal_init(&w.sigterm, on_stop_signal, SIGTERM);
    ev_signal_init(&w.sigint, on_stop_signal, SIGINT);
    ev_signal_init(&w.sighup, on_hup, SIGHUP);
    w.sigterm.data = w.sigint.data = w.sighup.data = &w;
    ev_signal_start(w.loop, &w.sigterm);
    ev_signal_start(w.loop, &w.sigint);
    ev_signal_start(w.loop, &w.sighup);
    log_info("worker ready");
    ev_run(w.loop, 0);
    server_free(w.srv);
    app_free(w.app);
    return 0;
}

static int bind_listen(const char *addr) {
    int fd;
    if (!strncmp(addr, "unix:", 5)) {
        struct sockaddr_un sun = {.sun_family = AF_UNIX};
        if (strlen(addr + 5) >= sizeof sun.sun_path) return -1;
        strcpy(sun.sun_path, addr + 5);
        unlink(sun.sun_path);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof sun) < 0) return -1;
    } else {
        char host[256];
        const char *colon = strrchr(addr, ':');
        if (!colon || (size_t)(colon - addr) >= sizeof host) return -1;
        memcpy(host, addr, (size_t)(colon - addr));
        host[colon - addr] = '\0';
        struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE}, *ai;
        if (getaddrinfo(*host ? host : NULL, colon + 1, &hints, &ai) != 0) return -1;
        fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int one = 1;
        if (fd >= 0) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
            freeaddrinfo(ai);
            return -1;
        }
        freeaddrinfo(ai);
    }
    if (listen(fd, 1024) < 0) return -1;
    return fd;
}

static volatile sig_atomic_t g_stop_signal;
static void master_signal(int sig) { g_stop_signal = sig; }

/* Development prefork master: forks N workers sharing the socket, restarts
 * any that dies, forwards SIGTERM/SIGINT/SIGHUP. */
static int run_master(int fd, int workers) {
    pid_t *pids = xcalloc((size_t)workers, sizeof *pids);
    struct sigaction sa = {.sa_handler = master_signal};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    for (;;) {
        for (int i = 0; i < workers && !g_stop_signal; i++) {
            if (pids[i]) continue;
            pid_t p = fork();
            if (p == 0) {
                prctl(PR_SET_PDEATHSIG, SIGTERM); /* a killed master takes its workers along */
                signal(SIGTERM, SIG_DFL);
                signal(SIGINT, SIG_DFL);
                signal(SIGHUP, SIG_DFL);
                free(pids);
                _exit(run_worker(fd));
            }
            pids[i] = p > 0 ? p : 0;
        }
        int status;
        pid_t dead = waitpid(-1, &status, 0);
        if (g_stop_signal == SIGHUP) {
            g_stop_signal = 0;
            for (int i = 0; i < workers; i++)
                if (pids[i]) kill(pids[i], SIGHUP);
            continue;
        }
        if (g_stop_signal) break;
        for (int i = 0; i < workers; i++)
            if (dead > 0 && pids[i] == dead) {
                log_warn("worker %d exited (status %d); restarting", (int)dead, status);
                pids[i] = 0;
            }
        if (dead < 0 && errno == ECHILD) sleep(1);
    }
    for (int i = 0; i < workers; i++)
        if (pids[i]) kill(pids[i], g_stop_signal);
    while (waitpid(-1, NULL, 0) > 0 || errno == EINTR) {
    }
    free(pids);
    return 0;
}

static int is_listening_socket(int fd) {
    int v = 0;
    socklen_t len = sizeof v;
    return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &v, &len) == 0 && v;
}

int main(int argc, char **argv) {
    log_set_component("fcgi");
    signal(SIGPIPE, SIG_IGN);
    const char *listen_addr = NULL;
    int workers = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--listen") && i + 1 < argc) listen_addr = argv[++i];
        else if (!strcmp(argv[i], "--workers") && i + 1 < argc) workers = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: %s [--listen host:port|unix:/path] [--workers N]\n", argv[0]);
            return 2;
        }
    }
    if (workers < 1) workers = 1;
    if (!listen_addr) {
        if (!is_listening_socket(0)) {
            fprintf(stderr, "liteset-fcgi: fd 0 is not a listening socket: run under spawn-fcgi or pass --listen\n");
            return 2;
        }
        return run_worker(0);
    }
    int fd = bind_listen(listen_addr);
    if (fd < 0) {
        fprintf(stderr, "liteset-fcgi: cannot listen on %s: %s\n", listen_addr, strerror(errno));
        return 1;
    }
    log_info("listening on %s with %d worker(s)", listen_addr, workers);
    return run_master(fd, workers);
}
