/* Python's repr() and str() of JSON values (see py_repr.h). */
#include "lib/py_repr.h"

#include <string.h>

#include "lib/py_unicode.h"
#include "lib/pyfloat.h"

void py_format_json(strbuf_t *sb, const json_t *v, bool as_repr) {
    char num[PYFLOAT_BUF];
    size_t i;
    const char *key;
    json_t *x;
    switch (json_typeof(v)) {
    case JSON_STRING:
        if (as_repr) py_repr_str(sb, json_string_value(v), json_string_length(v));
        else strbuf_append(sb, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER: strbuf_printf(sb, "%lld", (long long)json_integer_value(v)); break;
    case JSON_REAL: strbuf_append(sb, num, pyfloat_repr(json_real_value(v), num)); break;
    case JSON_TRUE: strbuf_puts(sb, "True"); break;
    case JSON_FALSE: strbuf_puts(sb, "False"); break;
    case JSON_NULL: strbuf_puts(sb, "None"); break;
    case JSON_ARRAY:
        strbuf_putc(sb, '[');
        json_array_foreach(v, i, x) {
            if (i) strbuf_puts(sb, ", ");
            py_format_json(sb, x, true);
        }
        strbuf_putc(sb, ']');
        break;
    case JSON_OBJECT: {
        bool first = true;
        strbuf_putc(sb, '{');
        json_object_foreach((json_t *)v, key, x) {
            if (!first) strbuf_puts(sb, ", ");
            first = false;
            py_repr_str(sb, key, strlen(key));
            strbuf_puts(sb, ": ");
            py_format_json(sb, x, true);
        }
        strbuf_putc(sb, '}');
        break;
    }
    }
}

