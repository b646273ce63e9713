/* The async proof: ONE worker process (the test stack runs a single
 * liteset-fcgi) serves 50 concurrent requests that each wait 1 s inside
 * PostgreSQL in well under 2 s in total, while /health requests sent during
 * that time each answer in under 50 ms. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tests/integration/harness.h"

#define SLOW 50

typedef struct {
    int status;
    double elapsed;
} slow_result_t;

static const char *g_slow_path = "/api/v1/_liteset/sleep?seconds=1";

static void *slow_request(void *arg) {
    slow_result_t *res = arg;
    http_response_t *r = http_get(g_slow_path);
    res->status = r ? r->status : -1;
    res->elapsed = r ? r->elapsed : -1;
    http_free(r);
    return NULL;
}

static int fcgi_worker_count(void) {
    char path[1024];
    snprintf(path, sizeof path, "%s/run/fcgi.pid", harness_env("LITESET_TEST_DIR"));
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    int n = 0, pid;
    while (fscanf(f, "%d", &pid) == 1) n++;
    fclose(f);
    return n;
}

Test(async, one_worker_serves_slow_queries_and_health, .timeout = 60) {
    cr_assert_eq(fcgi_worker_count(), 1, "the async proof needs exactly one worker process");
    http_response_t *w = http_get("/api/v1/_liteset/sleep?seconds=0");
    cr_assert(w && w->status == 200, "sleep route unavailable (LITESET_DEV_ROUTES off?)");
    http_free(w);

    pthread_t th[SLOW];
    slow_result_t res[SLOW];
    /* Warm the pool to SLOW connections so that opening them (PostgreSQL
     * forks a backend per connection) is not what gets measured. */
    g_slow_path = "/api/v1/_liteset/sleep?seconds=0.3";
    for (int i = 0; i < SLOW; i++) pthread_create(&th[i], NULL, slow_request, &res[i]);
    for (int i = 0; i < SLOW; i++) pthread_join(th[i], NULL);
    g_slow_path = "/api/v1/_liteset/sleep?seconds=1";

    double t0 = harness_now();
    for (int i = 0; i < SLOW; i++) pthread_create(&th[i], NULL, slow_request, &res[i]);

    usleep(100 * 1000); /* let the slow requests reach PostgreSQL */
    double worst = 0;
    int probes = 0;
    while (harness_now() - t0 < 0.9) {
        http_response_t *h = http_get("/health");
        cr_assert(h && h->status == 200);
        if (h->elapsed > worst) worst = h->elapsed;
        probes++;
        http_free(h);
        usleep(20 * 1000);
    }
    for (int i = 0; i < SLOW; i++) pthread_join(th[i], NULL);
    double total = harness_now() - t0;
    for (int i = 0; i < SLOW; i++) {
        cr_assert_eq(res[i].status, 200, "slow request %d got %d", i, res[i].status);
        cr_assert_geq(res[i].elapsed, 0.99, "slow request %d did not wait in PostgreSQL", i);
    }
    printf("async proof: %d x 1 s queries in %.3f s; %d health probes, worst %.1f ms\n", SLOW, total, probes,
           worst * 1000);
    cr_assert_gt(probes, 10);
    cr_assert_lt(total, 1.6, "50 concurrent 1 s queries took %.3f s on one worker", total);
    cr_assert_lt(worst, 0.050, "a /health during the slow queries took %.1f ms", worst * 1000);
}
