/* Result cells as JSON values; see pg_json.h. */
#include "persistence/pg_json.h"

json_t *pg_json_text(const pg_result_t *r, int row, int col) {
    const char *v = pg_get(r, row, col);
    return v ? json_string(v) : json_null();
}

json_t *pg_json_int(const pg_result_t *r, int row, int col) {
    return pg_isnull(r, row, col) ? json_null() : json_integer(pg_get_int(r, row, col, 0));
}

json_t *pg_json_bool(const pg_result_t *r, int row, int col) {
    return pg_isnull(r, row, col) ? json_null() : json_boolean(pg_get_bool(r, row, col, false));
}

json_t *pg_json_real(const pg_result_t *r, int row, int col) {
    return pg_isnull(r, row, col) ? json_null() : json_real(pg_get_double(r, row, col, 0));
}
