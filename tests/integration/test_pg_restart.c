/* PostgreSQL restarted under the pool: idle connections die with the server;
 * the next requests must succeed on fresh connections. */
#include <criterion/criterion.h>
#include <string.h>

#include "tests/integration/harness.h"

static int sleep0(void) {
    http_response_t *r = http_get("/api/v1/_liteset/sleep?seconds=0");
    int st = r ? r->status : -1;
    http_free(r);
    return st;
}

Test(pgrestart, requests_succeed_after_server_restart, .timeout = 120) {
    cr_assert_eq(sleep0(), 200);
    cr_assert_eq(harness_stack("pg-restart"), 0, "stack.sh pg-restart failed");
    /* The very first request after the restart must already succeed. */
    for (int i = 0; i < 5; i++) cr_assert_eq(sleep0(), 200, "request %d after restart failed", i);
    http_response_t *r = http_get("/api/v1/_liteset/pool");
    cr_assert(r && r->status == 200);
    cr_assert(strstr(r->body, "\"reconnects\":"), "%s", r->body);
    http_free(r);
}
