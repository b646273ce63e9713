/* Tests for config/pyliteral: Python-literal reading of superset_config.py. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/pyliteral.h"

/* ---- helpers ---------------------------------------------------------------- */

#define MAX_WARN 16

typedef struct warnings {
    int n;
    char keys[MAX_WARN][64];
    char whys[MAX_WARN][128];
} warnings_t;

static void capture_warn(void *ud, const char *key, const char *why) {
    warnings_t *w = ud;
    if (w->n < MAX_WARN) {
        snprintf(w->keys[w->n], sizeof w->keys[0], "%s", key);
        snprintf(w->whys[w->n], sizeof w->whys[0], "%s", why);
    }
    w->n++;
}

static json_t *parse(const char *src, warnings_t *w) {
    const char *err = NULL;
    json_t *obj = pyliteral_parse_file(src, strlen(src), capture_warn, w, &err);
    cr_assert_not_null(obj, "parse failed for <<%s>>: %s", src, err ? err : "?");
    return obj;
}

static void expect_json(const json_t *got, const char *want_text, const char *src) {
    json_error_t jerr;
    json_t *want = json_loads(want_text, JSON_DECODE_ANY, &jerr);
    cr_assert_not_null(want, "bad expected JSON %s: %s", want_text, jerr.text);
    char *got_text = json_dumps(got, JSON_ENCODE_ANY | JSON_COMPACT);
    cr_expect(json_equal(got, want), "<<%s>>: got %s, want %s", src, got_text, want_text);
    free(got_text);
    json_decref(want);
}

/* ---- valid files ---------------------------------------------------------------- */

static const struct { const char *src; const char *json; } valid_cases[] = {
    {"A = 1", "{\"A\":1}"},
    {"# comment\n\nA = 'x'  # trailing\n", "{\"A\":\"x\"}"},
    {"A = \\\n    5\n", "{\"A\":5}"},
    {"A = [\n  1,\n  2,  # two\n]\nB = 3\n", "{\"A\":[1,2],\"B\":3}"},
    {"A = \"d\"\nB = 'x'\nC = \"\"\"t\nq\"\"\"\nD = '''a'b'''", "{\"A\":\"d\",\"B\":\"x\",\"C\":\"t\\nq\",\"D\":\"a'b\"}"},
    {"E = r'\\d+'\nF = u'x'\nG = R\"\\n\"\nH = r'\\''", "{\"E\":\"\\\\d+\",\"F\":\"x\",\"G\":\"\\\\n\",\"H\":\"\\\\'\"}"},
    {"A = \"\\n\\t\\\\\\'\\\"\\x41\\u00e9\\U0001F600\\101\"", "{\"A\":\"\\n\\t\\\\'\\\"A\\u00e9\\ud83d\\ude00A\"}"},
    {"A = '\\d'", "{\"A\":\"\\\\d\"}"}, /* unknown escape keeps the backslash */
    {"A = 'a\\\nb'", "{\"A\":\"ab\"}"},  /* backslash-newline inside a string */
    {"A = (\"a\" 'b'\n     \"c\")\nB = \"x\" \"y\"", "{\"A\":\"abc\",\"B\":\"xy\"}"},
    {"A = 0x1F\nB = 0o17\nC = 0b101\nD = 1_000_000\nE = -5\nF = +3\nG = 0\nH = 0X_ff",
     "{\"A\":31,\"B\":15,\"C\":5,\"D\":1000000,\"E\":-5,\"F\":3,\"G\":0,\"H\":255}"},
    {"A = -9223372036854775808\nB = 9223372036854775807",
     "{\"A\":-9223372036854775808,\"B\":9223372036854775807}"},
    {"A = 1e3\nB = .5\nC = 5.\nD = -2.5\nE = 1_0.5\nF = 2E-2", "{\"A\":1000.0,\"B\":0.5,\"C\":5.0,\"D\":-2.5,\"E\":10.5,\"F\":0.02}"},
    {"A = True\nB = False\nC = None", "{\"A\":true,\"B\":false,\"C\":null}"},
    {"A = (1, 2)\nB = (1,)\nC = ()\nD = (1)\nE = ((1, 2), [3])", "{\"A\":[1,2],\"B\":[1],\"C\":[],\"D\":1,\"E\":[[1,2],[3]]}"},
    {"A = {'a': 1, 2: 'b', -1: None, 'n': {'x': [1]},}", "{\"A\":{\"a\":1,\"2\":\"b\",\"-1\":null,\"n\":{\"x\":[1]}}}"},
    {"A = {}\nB = []", "{\"A\":{},\"B\":[]}"},
    {"A: dict[str, Any] = {'k': 1}\nB: int = 2\nC: int", "{\"A\":{\"k\":1},\"B\":2}"},
    {"A = 1\nA = 2", "{\"A\":2}"},
    {"A = 1; B = 2;", "{\"A\":1,\"B\":2}"},
    {"A = B = 3", "{\"A\":3,\"B\":3}"},
    {"if x:\n    A = 1\n    B = 2\nC = 3\n", "{\"C\":3}"},
    {"def f():\n    return 1\n\n\nD = 4", "{\"D\":4}"},
    {"class K:\n    X = 1\n    def m(self):\n        pass\nY = 1", "{\"Y\":1}"},
    {"try:\n  import foo\nexcept ImportError:\n  pass\nelse:\n  Z = 0\nE = 5", "{\"E\":5}"},
    {"with open('x') as f:\n    Q = 1\nif a: R = 1; S = 2\n@decorator\ndef g(): pass\nT = 1", "{\"T\":1}"},
    {"\xEF\xBB\xBF" "A = 1\r\nB = '''x\r\ny'''\r\n", "{\"A\":1,\"B\":\"x\\ny\"}"},
    {"\"\"\"Module docstring = not an assignment.\"\"\"\nA = 1", "{\"A\":1}"},
    {"A = 'h\xC3\xA9llo \xE2\x9C\x93'", "{\"A\":\"h\\u00e9llo \\u2713\"}"},
    {"print('hello')\nlogging.basicConfig(level=1)\nA = 1", "{\"A\":1}"},
    {"A = {'s': 'a;b', 'h': '#x'}  # ; not a split", "{\"A\":{\"s\":\"a;b\",\"h\":\"#x\"}}"},
    {"A = [1, # one\n     2]", "{\"A\":[1,2]}"},
    /* subscript assignments onto existing dicts and lists */
    {"FEATURE_FLAGS = {'A': False}\nFEATURE_FLAGS['A'] = True\nFEATURE_FLAGS[\"B\"] = 1",
     "{\"FEATURE_FLAGS\":{\"A\":true,\"B\":1}}"},
    {"D = {'a': {'b': 1}}\nD['a']['b'] = 2\nD[3] = 'x'\nL = [1, 2]\nL[-1] = 9",
     "{\"D\":{\"a\":{\"b\":2},\"3\":\"x\"},\"L\":[1,9]}"},
};

Test(pyliteral, valid_files) {
    for (size_t i = 0; i < sizeof valid_cases / sizeof valid_cases[0]; i++) {
        warnings_t w = {0};
        json_t *obj = parse(valid_cases[i].src, &w);
        expect_json(obj, valid_cases[i].json, valid_cases[i].src);
        cr_expect_eq(w.n, 0, "<<%s>>: unexpected warning %s: %s", valid_cases[i].src, w.keys[0],
                     w.whys[0]);
        json_decref(obj);
    }
}

/* ---- timedelta -------------------------------------------------------------------- */

static const struct { const char *expr; double seconds; } td_cases[] = {
    {"timedelta(days=1)", 86400.0},
    {"datetime.timedelta(hours=1, minutes=30)", 5400.0},
    {"timedelta(1, 30)", 86430.0},
    {"timedelta(milliseconds=500)", 0.5},
    {"timedelta(weeks=1)", 604800.0},
    {"timedelta()", 0.0},
    {"-timedelta(seconds=5)", -5.0},
    {"timedelta(0, 0, 0, 0, 0, 0, 1)", 604800.0},
    {"timedelta(0, 0, 250000)", 0.25},
    {"timedelta(days=-1, hours=1.5,)", -81000.0},
    {"timedelta (seconds = 2)", 2.0},
    {"datetime . timedelta(minutes=1)", 60.0},
};

Test(pyliteral, timedelta_forms) {
    for (size_t i = 0; i < sizeof td_cases / sizeof td_cases[0]; i++) {
        json_t *v = pyliteral_parse_value(td_cases[i].expr, strlen(td_cases[i].expr));
        cr_assert_not_null(v, "%s did not parse", td_cases[i].expr);
        cr_expect(json_is_real(v), "%s: not a real", td_cases[i].expr);
        cr_expect_float_eq(json_real_value(v), td_cases[i].seconds, 1e-9, "%s = %f", td_cases[i].expr,
                           json_real_value(v));
        json_decref(v);
    }
}

Test(pyliteral, timedelta_in_file) {
    warnings_t w = {0};
    json_t *obj = parse("from datetime import timedelta\nPERMANENT_SESSION_LIFETIME = timedelta(days=31)", &w);
    expect_json(obj, "{\"PERMANENT_SESSION_LIFETIME\":2678400.0}", "timedelta in file");
    cr_expect_eq(w.n, 0);
    json_decref(obj);
}

/* ---- skipped statements -------------------------------------------------------------- */

static const struct { const char *src; const char *key; const char *json; } skip_cases[] = {
    {"import os\nfrom x import y\nA = os.environ.get('A')", "A", "{}"},
    {"B = f'x{1}'", "B", "{}"},
    {"C = b'x'", "C", "{}"},
    {"D = 1 + 2", "D", "{}"},
    {"E = {1, 2}", "E", "{}"},
    {"F = 99999999999999999999", "F", "{}"},
    {"F = 0xFFFFFFFFFFFFFFFFFF", "F", "{}"},
    {"G = 1\nG += 1", "G", "{\"G\":1}"},
    {"H.x = 1", "H", "{}"},
    {"I, J = 1, 2", "I", "{}"},
    {"K = some_name", "K", "{}"},
    {"L = lambda x=1: x", "L", "{}"},
    {"M['a'] = 1", "M", "{}"},
    {"N = '\\N{EM DASH}'", "N", "{}"},
    {"O = timedelta(days='x')", "O", "{}"},
    {"P = timedelta(days=1, days=2)", "P", "{}"},
    {"P = timedelta(days=1, 2)", "P", "{}"},
    {"P = timedelta(fortnights=1)", "P", "{}"},
    {"Q = '\\x00'", "Q", "{}"},
    {"S = 1e400", "S", "{}"},
    {"T = 012", "T", "{}"},
    {"U = {**x}", "U", "{}"},
    {"V = 'abc\nW = 2", "V", "{\"W\":2}"},
    {"X = '''abc\nY = 1", "X", "{}"},
    {"Z = [1, 2\nA = 1", "Z", "{}"},
    {"A = {True: 1}", "A", "{}"},
    {"A = [x for x in y]", "A", "{}"},
    {"A = 1j", "A", "{}"},
    {"A = '\\ud800'", "A", "{}"},
    {"A = 1 if x else 2", "A", "{}"},
    {"A = -'x'", "A", "{}"},
    {"L = [1]\nL[5] = 1", "L", "{\"L\":[1]}"},
    {"A = 1\nA['x'] = 2", "A", "{\"A\":1}"},
    {"A = 1_", "A", "{}"},
    {"A = 0b2", "A", "{}"},
};

Test(pyliteral, skipped_statements_warn_with_key) {
    for (size_t i = 0; i < sizeof skip_cases / sizeof skip_cases[0]; i++) {
        warnings_t w = {0};
        json_t *obj = parse(skip_cases[i].src, &w);
        expect_json(obj, skip_cases[i].json, skip_cases[i].src);
        cr_expect_eq(w.n, 1, "<<%s>>: %d warnings", skip_cases[i].src, w.n);
        cr_expect_str_eq(w.keys[0], skip_cases[i].key, "<<%s>>", skip_cases[i].src);
        cr_expect(w.whys[0][0] != '\0');
        json_decref(obj);
    }
}

Test(pyliteral, silent_statements) {
    const char *src = "import os\nprint('x')\nfoo(a=1)\nx == 1\nY: int\nif A == 1:\n    pass\n";
    warnings_t w = {0};
    json_t *obj = parse(src, &w);
    expect_json(obj, "{}", src);
    cr_expect_eq(w.n, 0);
    json_decref(obj);
}

Test(pyliteral, overlong_name_is_skipped) {
    char src[400];
    memset(src, 'N', 300);
    strcpy(src + 300, " = 1\nB = 2");
    warnings_t w = {0};
    json_t *obj = parse(src, &w);
    expect_json(obj, "{\"B\":2}", "overlong name");
    cr_expect_eq(w.n, 0); /* no name to report */
    json_decref(obj);
}

Test(pyliteral, later_literal_survives_bad_statement) {
    warnings_t w = {0};
    json_t *obj = parse("A = os.getenv('X')\nA = 'fallback'\nB = A", &w);
    expect_json(obj, "{\"A\":\"fallback\"}", "override");
    cr_expect_eq(w.n, 2);
    cr_expect_str_eq(w.keys[1], "B");
    json_decref(obj);
}

/* ---- single values ------------------------------------------------------------------- */

static const struct { const char *text; const char *json; } value_cases[] = {
    {"True", "true"},     {" 42 ", "42"},        {"'x' 'y'", "\"xy\""}, {"[1,]", "[1]"},
    {"None", "null"},     {"-0.5", "-0.5"},       {"{'a': (1, 2)}", "{\"a\":[1,2]}"},
    {"\"a#b\"", "\"a#b\""},
};
static const char *const non_values[] = {
    "abc", "1 2", "", "   ", "postgresql://u@h/db", "1.0.3", "TRUE", "[1", "'x", "x = 1", "1; 2",
};

Test(pyliteral, parse_value) {
    for (size_t i = 0; i < sizeof value_cases / sizeof value_cases[0]; i++) {
        json_t *v = pyliteral_parse_value(value_cases[i].text, strlen(value_cases[i].text));
        cr_assert_not_null(v, "%s did not parse", value_cases[i].text);
        expect_json(v, value_cases[i].json, value_cases[i].text);
        json_decref(v);
    }
    for (size_t i = 0; i < sizeof non_values / sizeof non_values[0]; i++) {
        json_t *v = pyliteral_parse_value(non_values[i], strlen(non_values[i]));
        cr_expect_null(v, "'%s' parsed as a literal", non_values[i]);
        json_decref(v);
    }
}

Test(pyliteral, value_need_not_be_nul_terminated) {
    const char buf[] = {'1', '2', '3', 'x'};
    json_t *v = pyliteral_parse_value(buf, 3);
    cr_assert_not_null(v);
    cr_expect_eq(json_integer_value(v), 123);
    json_decref(v);
}

/* ---- hostile input --------------------------------------------------------------------- */

Test(pyliteral, deep_nesting_is_an_error) {
    size_t n = 10000;
    char *src = malloc(n + 8);
    memcpy(src, "A = ", 4);
    memset(src + 4, '[', n);
    const char *err = NULL;
    json_t *obj = pyliteral_parse_file(src, n + 4, NULL, NULL, &err);
    cr_expect_null(obj);
    cr_expect_not_null(err);
    cr_expect_null(pyliteral_parse_value(src + 4, n));
    free(src);

    /* moderate nesting is fine */
    char ok[200];
    size_t d = 40;
    memset(ok, '[', d);
    memset(ok + d, ']', d);
    json_t *v = pyliteral_parse_value(ok, 2 * d);
    cr_expect_not_null(v);
    json_decref(v);
}

Test(pyliteral, rejects_nul_bytes_and_bad_utf8) {
    static const char nul[] = "A = 1\0B = 2";
    const char *err = NULL;
    cr_expect_null(pyliteral_parse_file(nul, sizeof nul - 1, NULL, NULL, &err));
    cr_expect_not_null(err);
    static const char *const bad[] = {"A = '\xff'", "A = '\xc0\xaf'", "A = '\xed\xa0\x80'",
                                      "A = '\xe2\x82'"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err = NULL;
        cr_expect_null(pyliteral_parse_file(bad[i], strlen(bad[i]), NULL, NULL, &err), "case %zu", i);
        cr_expect_not_null(err);
        cr_expect_null(pyliteral_parse_value(bad[i] + 4, strlen(bad[i]) - 4));
    }
}

Test(pyliteral, unterminated_triple_quote) {
    warnings_t w = {0};
    json_t *obj = parse("A = 1\nB = \"\"\"never closed\nC = 2\n", &w);
    expect_json(obj, "{\"A\":1}", "unterminated triple quote");
    cr_expect_eq(w.n, 1);
    json_decref(obj);
}

Test(pyliteral, size_limit) {
    size_t n = 5u * 1024 * 1024;
    char *src = malloc(n);
    memset(src, '#', n);
    const char *err = NULL;
    cr_expect_null(pyliteral_parse_file(src, n, NULL, NULL, &err));
    cr_expect_not_null(err);
    free(src);
}

static uint32_t rng_state;
static uint32_t rng(void) {
    rng_state = rng_state * 1664525u + 1013904223u;
    return rng_state >> 8;
}

/* Fragments that steer random input into the parser's interesting paths. */
static const char *const fragments[] = {
    "A = ", "B: int = ", "'", "\"", "'''", "\"\"\"", "r'", "b'", "f'", "\\", "\\\n", "\n", "\r\n",
    "(", ")", "[", "]", "{", "}", ",", ":", ";", "=", "+=", "==", "#", " ", "\t", "    ",
    "0x", "0b", "1_0", "1e", ".", "-", "+", "9999999999999999999999", "True", "None",
    "timedelta(", "days=", "datetime.timedelta(", "if x:", "def f():", "X[", "\\x4", "\\u12",
    "\\N{", "\xc3\xa9", "\xff", "\0", "import os", "lambda", "{**", "FEATURE_FLAGS['A'] = 1",
};

Test(pyliteral, random_garbage_never_crashes) {
    rng_state = 12345;
    char buf[512];
    size_t nfrag = sizeof fragments / sizeof fragments[0];
    for (int iter = 0; iter < 4000; iter++) {
        size_t len = 0;
        size_t pieces = rng() % 40;
        for (size_t k = 0; k < pieces; k++) {
            const char *f = fragments[rng() % nfrag];
            size_t fl = f[0] ? strlen(f) : 1; /* the "\0" fragment is one NUL byte */
            if (rng() % 4 == 0) {
                buf[len++] = (char)(rng() & 0xFF);
            } else if (len + fl < sizeof buf) {
                memcpy(buf + len, f, fl);
                len += fl;
            }
        }
        const char *err = NULL;
        json_t *obj = pyliteral_parse_file(buf, len, NULL, NULL, &err);
        cr_assert(obj != NULL || err != NULL, "iteration %d: NULL without an error", iter);
        json_decref(obj);
        json_decref(pyliteral_parse_value(buf, len));
    }
}

Test(pyliteral, mutated_config_never_crashes) {
    static const char base[] =
        "import os\nfrom datetime import timedelta\n"
        "SECRET_KEY = 'abc'  # key\n"
        "FEATURE_FLAGS = {'ALERT_REPORTS': True, \"X\": [1, 2.5, (3,)]}\n"
        "FEATURE_FLAGS['Y'] = False\n"
        "PERMANENT_SESSION_LIFETIME = timedelta(days=1, hours=2)\n"
        "TALISMAN_CONFIG = {'content_security_policy': {'default-src': [\"'self'\"]}}\n"
        "if os.getenv('X'):\n    ROW_LIMIT = 5\nelse:\n    ROW_LIMIT = 6\n"
        "S = r'''raw\\\nstring''' '\\u00e9\\x41'\n";
    rng_state = 777;
    char buf[sizeof base];
    for (int iter = 0; iter < 3000; iter++) {
        memcpy(buf, base, sizeof base);
        int flips = 1 + (int)(rng() % 6);
        for (int k = 0; k < flips; k++) buf[rng() % (sizeof base - 1)] = "'\"()[]{}\\\n#=:,x0"[rng() % 17];
        const char *err = NULL;
        json_t *obj = pyliteral_parse_file(buf, sizeof base - 1, NULL, NULL, &err);
        cr_assert(obj != NULL || err != NULL);
        json_decref(obj);
    }
}
