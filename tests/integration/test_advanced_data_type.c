/* /api/v1/advanced_data_type: the configured types, conversions of both
 * types through HTTP (IPv6 integers past 64 bits in the JSON text), the
 * rison schema errors, and can_read on AdvancedDataType (Admin, Gamma, a
 * role without it, anonymous). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

#define OPS "\"valid_filter_operators\":[\"EQUALS\",\"GREATER_THAN_OR_EQUAL\",\"GREATER_THAN\",\"IN\",\"LESS_THAN\",\"LESS_THAN_OR_EQUAL\"]"

/* GET with the session's bearer; returns the raw answer. */
static http_response_t *get_raw(rest_session_t *s, const char *path) {
    const char *const h[] = {s->bearer, NULL};
    http_response_t *r = http_request("GET", path, h, NULL, 0);
    cr_assert(r);
    return r;
}

static void expect(rest_session_t *s, const char *path, int status, const char *body) {
    http_response_t *r = get_raw(s, path);
    cr_assert_eq(r->status, status, "%s: %d %s", path, r->status, r->body);
    cr_assert_str_eq(r->body, body, "%s", path);
    http_free(r);
}

Test(advanced_data_type, types_and_conversions) {
    rest_session_t s;
    rest_open(&s, "admin", "admin");
    expect(&s, "/api/v1/advanced_data_type/types", 200, "{\"result\":[\"internet_address\",\"port\"]}\n");
    /* both views log under the action "AdvancedDataTypeRestApi.get" */
    cr_assert_neq(atoi(rest_sql("SELECT count(*) FROM logs WHERE action = 'AdvancedDataTypeRestApi.get' AND json LIKE "
                                "'%/api/v1/advanced_data_type/types%'")),
                  0);
    expect(&s, "/api/v1/advanced_data_type/convert?q=(type:port,values:!(http,'22',ftp,'00443'))", 200,
           "{\"result\":{\"display_value\":\"[80], [22], [20, 21], [443]\",\"error_message\":\"\"," OPS
           ",\"values\":[[80],[22],[20,21],[443]]}}\n");
    expect(&s, "/api/v1/advanced_data_type/convert?q=(type:port,values:!(ssh,'70000',http))", 200,
           "{\"result\":{\"display_value\":\"[22]\",\"error_message\":\"'70000' does not appear to be a port name or "
           "number\"," OPS ",\"values\":[[22]]}}\n");
    expect(&s, "/api/v1/advanced_data_type/convert?q=(type:port,values:!(''))", 200,
           "{\"result\":{\"display_value\":\"\",\"error_message\":\"\"," OPS ",\"values\":[[\"\"]]}}\n");
    expect(&s, "/api/v1/advanced_data_type/convert?q=(type:internet_address,values:!(''))", 200,
           "{\"result\":{\"display_value\":\"\",\"error_message\":\"\"," OPS ",\"values\":[\"\"]}}\n");
    /* host bits cleared; a range is {"end", "start"} (sorted keys); one address is a number */
    expect(&s, "/api/v1/advanced_data_type/convert?q=(type:internet_address,values:!('10.1.2.3%2F8','10.0.0.1'))", 200,
           "{\"result\":{\"display_value\":\"167772160 - 184549375, 167772161\",\"error_message\":\"\"," OPS
           ",\"values\":[{\"end\":184549375,\"start\":167772160},167772161]}}\n");
    expect(&s, "/api/v1/advanced_data_type/convert?q=(type:internet_address,values:!('2001:db8::%2F32'))", 200,
           "{\"result\":{\"display_value\":\"42540766411282592856903984951653826560 - "
           "42540766490510755371168322545197776895\",\"error_message\":\"\"," OPS
           ",\"values\":[{\"end\":42540766490510755371168322545197776895,\"start\":"
           "42540766411282592856903984951653826560}]}}\n");
    /* non-string values are str()-ed the Python way; the first failure stops the list */
    expect(&s, "/api/v1/advanced_data_type/convert?q=(type:internet_address,values:!(16909060,1.5,!t))", 200,
           "{\"result\":{\"display_value\":\"16909060\",\"error_message\":\"'1.5' does not appear to be an IPv4 or "
           "IPv6 network\"," OPS ",\"values\":[16909060]}}\n");
    expect(&s, "/api/v1/advanced_data_type/convert?q=(type:internet_address,values:!('01.2.3.4'))", 200,
           "{\"result\":{\"display_value\":\"\",\"error_message\":\"'01.2.3.4' does not appear to be an IPv4 or "
           "IPv6 network\"," OPS ",\"values\":[]}}\n");
    /* q as JSON when it is not rison */
    expect(&s, "/api/v1/advanced_data_type/convert?q=%7B%22type%22%3A%22port%22%2C%22values%22%3A%5B%22dns%22%5D%7D", 200,
           "{\"result\":{\"display_value\":\"[53]\",\"error_message\":\"\"," OPS ",\"values\":[[53]]}}\n");
}

Test(advanced_data_type, bad_input) {
    rest_session_t s;
    rest_open(&s, "admin", "admin");
    static const struct {
        const char *q, *message;
    } cases[] = {
        {"", "Not a valid rison schema 'type' is a required property"},
        {"(type:port)", "Not a valid rison schema 'values' is a required property"},
        {"(values:!())", "Not a valid rison schema 'type' is a required property"},
        {"(type:port,values:!())", "Not a valid rison schema [] should be non-empty"},
        {"(type:1,values:http)", "Not a valid rison schema 'http' is not of type 'array'"},
        {"(type:!n,values:!(1))", "Not a valid rison schema None is not of type 'string'"},
        {"!(port)", "Not a valid rison schema ['port'] is not of type 'object'"},
        {"(type:mac,values:!(1))", "Invalid advanced data type: mac"},
        {"(type:port,values:!(1)", "Not a valid rison/json argument"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[256], body[512];
        snprintf(path, sizeof path, "/api/v1/advanced_data_type/convert%s%s", *cases[i].q ? "?q=" : "", cases[i].q);
        snprintf(body, sizeof body, "{\"message\":\"%s\"}\n", cases[i].message);
        expect(&s, path, 400, body);
    }
}

Test(advanced_data_type, permissions) {
    rest_create_user("Gamma", "adt_gamma");
    rest_create_user("sql_lab", "adt_sqllab");
    rest_session_t g, l;
    rest_open(&g, "adt_gamma", "adt_gamma");
    expect(&g, "/api/v1/advanced_data_type/types", 200, "{\"result\":[\"internet_address\",\"port\"]}\n");
    expect(&g, "/api/v1/advanced_data_type/convert?q=(type:port,values:!(https))", 200,
           "{\"result\":{\"display_value\":\"[443]\",\"error_message\":\"\"," OPS ",\"values\":[[443]]}}\n");
    rest_open(&l, "adt_sqllab", "adt_sqllab");
    expect(&l, "/api/v1/advanced_data_type/types", 403, "{\"message\":\"Forbidden\"}\n");
    expect(&l, "/api/v1/advanced_data_type/convert?q=(type:port,values:!(https))", 403, "{\"message\":\"Forbidden\"}\n");
    http_response_t *r = http_get("/api/v1/advanced_data_type/types");
    cr_assert_eq(r->status, 401);
    cr_assert_str_eq(r->body, "{\"msg\":\"Missing Authorization Header\"}\n");
    http_free(r);
}
