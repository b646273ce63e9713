/* Route table and matcher; see router.h. */
#include "fcgi/router.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SEGS 24

/* Kinds double as precedence ranks: lower wins at the first differing segment. */
typedef enum { SEG_STATIC = 0, SEG_INT = 1, SEG_STRING = 2, SEG_PATH = 3 } seg_kind_t;

typedef struct {
    seg_kind_t kind;
    const char *text; /* static text or parameter name (heap, owned) */
    size_t len;
} seg_t;

typedef struct {
    const route_def_t *def;
    unsigned methods;
    seg_t segs[MAX_SEGS];
    int nsegs;
    bool trailing_slash;
} compiled_t;

struct router {
    compiled_t *routes;
    size_t n, cap;
};

static const struct { const char *name; unsigned bit; } method_names[] = {
    {"DELETE", M_DELETE}, {"GET", M_GET}, {"HEAD", M_HEAD}, {"OPTIONS", M_OPTIONS},
    {"PATCH", M_PATCH}, {"POST", M_POST}, {"PUT", M_PUT},
};

unsigned method_bit(const char *method) {
    for (size_t i = 0; i < sizeof method_names / sizeof method_names[0]; i++)
        if (!strcmp(method, method_names[i].name)) return method_names[i].bit;
    return 0;
}

char *methods_format(arena_t *a, unsigned bits) {
    strbuf_t sb;
    strbuf_init_arena(&sb, a, 64);
    for (size_t i = 0; i < sizeof method_names / sizeof method_names[0]; i++) {
        if (!(bits & method_names[i].bit)) continue;
        if (sb.len) strbuf_append(&sb, ", ", 2);
        strbuf_puts(&sb, method_names[i].name);
    }
    return sb.data;
}

router_t *router_new(void) { return xcalloc(1, sizeof(router_t)); }

void router_free(router_t *r) {
    if (!r) return;
    for (size_t i = 0; i < r->n; i++)
        for (int s = 0; s < r->routes[i].nsegs; s++) free((char *)r->routes[i].segs[s].text);
    free(r->routes);
    free(r);
}

static bool parse_methods(const char *list, unsigned *out) {
    *out = 0;
    char buf[64];
    const char *p = list;
    if (!p || !*p) return false;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (n == 0 || n >= sizeof buf) return false;
        memcpy(buf, p, n);
        buf[n] = '\0';
        unsigned b = method_bit(buf);
        if (!b) return false;
        *out |= b;
        if (comma && !comma[1]) return false; /* "GET," */
        p = comma ? comma + 1 : p + n;
    }
    if (*out & M_GET) *out |= M_HEAD; /* Werkzeug serves HEAD for GET rules */
    *out |= M_OPTIONS;                /* Flask answers OPTIONS on every rule */
    return true;
}

static bool compile_seg(seg_t *seg, const char *s, size_t n) {
    if (n >= 2 && s[0] == '<' && s[n - 1] == '>') {
        const char *colon = memchr(s, ':', n);
        const char *name = colon ? colon + 1 : s + 1;
        size_t nlen = (size_t)(s + n - 1 - name);
        seg->kind = SEG_STRING;
        if (colon) {
            size_t clen = (size_t)(colon - s - 1);
            if (clen == 3 && !memcmp(s + 1, "int", 3)) seg->kind = SEG_INT;
            else if (clen == 4 && !memcmp(s + 1, "path", 4)) seg->kind = SEG_PATH;
            else if (!(clen == 6 && !memcmp(s + 1, "string", 6))) return false;
        }
        if (nlen == 0) return false;
        seg->text = strndup(name, nlen);
        seg->len = nlen;
        return seg->text != NULL;
    }
    if (memchr(s, '<', n) || memchr(s, '>', n)) return false;
    seg->kind = SEG_STATIC;
    seg->text = strndup(s, n);
    seg->len = n;
    return seg->text != NULL;
}

bool router_add(router_t *r, const route_def_t *def, const char **err) {
    compiled_t c = {.def = def};
    if (!def->guard.permission || !*def->guard.permission) {
        *err = "route has no guard (declare GUARD_PUBLIC or a permission)";
        return false;
    }
    if (strcmp(def->guard.permission, GUARD_PUBLIC_NAME) != 0 && !def->guard.view_menu) {
        *err = "route guard names a permission without a view menu";
        return false;
    }
    if (!def->handler || !parse_methods(def->methods, &c.methods)) {
        *err = "route has no handler or an unknown method";
        return false;
    }
    const char *p = def->pattern;
    if (!p || *p != '/') {
        *err = "route pattern must start with '/'";
        return false;
    }
    p++;
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (c.nsegs == MAX_SEGS || n == 0 || !compile_seg(&c.segs[c.nsegs], p, n)) {
            for (int i = 0; i < c.nsegs; i++) free((char *)c.segs[i].text);
            *err = "bad route pattern";
            return false;
        }
        c.nsegs++;
        if (!slash) break;
        p = slash + 1;
        if (!*p) c.trailing_slash = true;
    }
    if (c.nsegs == 0) c.trailing_slash = true; /* "/" */
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 64;
        r->routes = xrealloc(r->routes, r->cap * sizeof *r->routes);
    }
    r->routes[r->n++] = c;
    return true;
}

bool router_add_table(router_t *r, const route_def_t *defs, size_t n, const char **err) {
    for (size_t i = 0; i < n; i++)
        if (!router_add(r, &defs[i], err)) return false;
    return true;
}

size_t router_count(const router_t *r) { return r->n; }
const route_def_t *router_get(const router_t *r, size_t i) { return i < r->n ? r->routes[i].def : NULL; }

/* ---- matching ---- */

typedef struct {
    const char *s;
    size_t len;
} span_t;

typedef struct {
    span_t vals[MAX_SEGS];
    int ranks[MAX_SEGS];
} capture_t;

static bool all_digits(const char *s, size_t n) {
    if (n == 0 || n > 18) return false; /* fits int64 */
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

/* Matches route segments [si..] against path segments [pi..]; path
 * converters take one or more segments (greedy, with backtracking). */
static bool match_from(const compiled_t *c, int si, const span_t *ps, int np, int pi, capture_t *cap) {
    if (si == c->nsegs) return pi == np;
    if (pi >= np) return false;
    const seg_t *seg = &c->segs[si];
    cap->ranks[si] = (int)seg->kind;
    switch (seg->kind) {
    case SEG_STATIC:
        if (ps[pi].len != seg->len || memcmp(ps[pi].s, seg->text, seg->len)) return false;
        return match_from(c, si + 1, ps, np, pi + 1, cap);
    case SEG_INT:
        if (!all_digits(ps[pi].s, ps[pi].len)) return false;
        cap->vals[si] = ps[pi];
        return match_from(c, si + 1, ps, np, pi + 1, cap);
    case SEG_STRING:
        cap->vals[si] = ps[pi];
        return match_from(c, si + 1, ps, np, pi + 1, cap);
    case SEG_PATH: /* lazy, like Werkzeug's path converter */
        for (int end = pi + 1; end <= np; end++) {
            if (match_from(c, si + 1, ps, np, end, cap)) {
                cap->vals[si].s = ps[pi].s;
                cap->vals[si].len = (size_t)(ps[end - 1].s + ps[end - 1].len - ps[pi].s);
                return true;
            }
        }
        return false;
    }
    return false;
}

/* Splits "/a/b/" into segments; sets *trailing for a final '/'. Empty inner
 * segments ("//") make the path unmatchable (Werkzeug would redirect to the
 * merged path; nginx already merges slashes in $uri). */
static int split_path(const char *path, span_t *out, bool *trailing, bool *bad) {
    int n = 0;
    *trailing = false;
    *bad = false;
    const char *p = path;
    if (*p == '/') p++;
    if (!*p) {
        *trailing = true;
        return 0;
    }
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        if (len == 0 || n == MAX_SEGS) {
            *bad = true;
            return n;
        }
        out[n].s = p;
        out[n].len = len;
        n++;
        if (!slash) break;
        p = slash + 1;
        if (!*p) *trailing = true;
    }
    return n;
}

static int better(const int *a, const int *b) {
    for (int i = 0; i < MAX_SEGS; i++)
        if (a[i] != b[i]) return a[i] < b[i];
    return 0;
}

/* Precedence of a match: per segment, static < int < string < path, and a
 * missing segment ranks last, so the more specific (longer) rule wins. */
#define RANK_NONE 100

static void ranks_of(const compiled_t *c, const capture_t *cap, int *ranks) {
    for (int s = 0; s < MAX_SEGS; s++) ranks[s] = s < c->nsegs ? cap->ranks[s] : RANK_NONE;
}

route_result_t router_match(const router_t *r, request_t *req, const route_def_t **out, unsigned *allowed) {
    span_t ps[MAX_SEGS];
    bool trailing, bad;
    int np = split_path(req->path ? req->path : "/", ps, &trailing, &bad);
    *allowed = 0;
    *out = NULL;
    if (bad) return ROUTE_NOT_FOUND;
    unsigned mbit = method_bit(req->method ? req->method : "");
    const compiled_t *best = NULL;
    bool best_redirect = false, best_path_slash = false;
    capture_t best_cap = {0};
    int best_ranks[MAX_SEGS];
    for (size_t i = 0; i < r->n; i++) {
        const compiled_t *c = &r->routes[i];
        capture_t cap;
        if (!match_from(c, 0, ps, np, 0, &cap)) continue;
        /* A final <path:> keeps a trailing slash; "/x" asked for "/x/" redirects
         * (308); "/x/" asked for "/x" is a 404. */
        bool path_slash = trailing && !c->trailing_slash && c->nsegs && c->segs[c->nsegs - 1].kind == SEG_PATH;
        bool redirect = c->trailing_slash && !trailing;
        if (c->trailing_slash != trailing && !path_slash && !redirect) continue;
        if (!redirect) *allowed |= c->methods;
        if (!(c->methods & mbit)) continue;
        int ranks[MAX_SEGS];
        ranks_of(c, &cap, ranks);
        if (!best || better(ranks, best_ranks)) {
            best = c;
            best_cap = cap;
            best_redirect = redirect;
            best_path_slash = path_slash;
            memcpy(best_ranks, ranks, sizeof ranks);
        }
    }
    if (!best) return *allowed ? ROUTE_METHOD_NOT_ALLOWED : ROUTE_NOT_FOUND;
    if (best_redirect) return ROUTE_REDIRECT_SLASH;
    req->n_path_params = 0;
    for (int s = 0; s < best->nsegs && req->n_path_params < REQ_MAX_PATH_PARAMS; s++) {
        if (best->segs[s].kind == SEG_STATIC) continue;
        path_param_t *pp = &req->path_params[req->n_path_params++];
        size_t len = best_cap.vals[s].len;
        if (best_path_slash && s == best->nsegs - 1) len++; /* the slash belongs to the value */
        pp->name = best->segs[s].text;
        pp->value = arena_strndup(req->arena, best_cap.vals[s].s, len);
        pp->int_value = best->segs[s].kind == SEG_INT ? strtoll(pp->value, NULL, 10) : 0;
    }
    *out = best->def;
    return ROUTE_FOUND;
}
