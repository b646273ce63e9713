/* URL helpers; see urls.h. */
#include "fcgi/urls.h"

#include <ctype.h>
#include <fnmatch.h>
#include <string.h>
#include <strings.h>

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

const char *url_request(request_t *req) {
    strbuf_t sb;
    strbuf_init_arena(&sb, req->arena, 128);
    strbuf_printf(&sb, "%s://%s%s%s", req->scheme ? req->scheme : "http", req->host ? req->host : "",
                  req->script_root ? req->script_root : "", req->path);
    if (req->query && *req->query) {
        strbuf_putc(&sb, '?');
        for (const char *q = req->query; *q; q++) {
            int hi, lo;
            if (*q == '%' && (hi = hexval(q[1])) >= 0 && (lo = hexval(q[2])) >= 0) {
                char c = (char)(hi * 16 + lo);
                if (c && !strchr("%;/?:@&=+,$#", c)) {
                    strbuf_putc(&sb, c);
                    q += 2;
                    continue;
                }
            }
            strbuf_putc(&sb, *q);
        }
    }
    return sb.data;
}

void url_quote_arg(strbuf_t *sb, const char *s) {
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isalnum(*p) || strchr("-._~!$'()*,/:;?@", *p)) strbuf_putc(sb, (char)*p);
        else if (*p == ' ') strbuf_putc(sb, '+');
        else strbuf_printf(sb, "%%%02X", *p);
    }
}

/* A leading control character (Unicode category C*): ASCII controls, DEL,
 * and the C1 range as UTF-8. */
static bool starts_with_control(const unsigned char *u) {
    if (u[0] < 0x20 || u[0] == 0x7f) return true;
    return u[0] == 0xC2 && u[1] >= 0x80 && u[1] <= 0x9F;
}

bool url_is_safe_redirect(request_t *req, const char *url) {
    if (!url || !*url || !strncmp(url, "///", 3)) return false;
    if (starts_with_control((const unsigned char *)url)) return false;
    /* urlsplit: leading C0 controls and spaces are stripped, tabs and newlines removed */
    while (*url && (unsigned char)*url <= 0x20) url++;
    strbuf_t clean;
    strbuf_init_arena(&clean, req->arena, strlen(url) + 1);
    for (const char *p = url; *p; p++)
        if (*p != '\t' && *p != '\r' && *p != '\n') strbuf_putc(&clean, *p);
    const char *u = clean.data;
    /* scheme: a letter, then letters, digits, + - . up to ':' */
    const char *rest = u;
    char scheme[16] = "";
    if (isalpha((unsigned char)u[0])) {
        size_t i = 1;
        while (isalnum((unsigned char)u[i]) || u[i] == '+' || u[i] == '-' || u[i] == '.') i++;
        if (u[i] == ':') {
            if (i >= sizeof scheme) return false;
            for (size_t k = 0; k < i; k++) scheme[k] = (char)tolower((unsigned char)u[k]);
            scheme[i] = '\0';
            rest = u + i + 1;
        }
    }
    const char *netloc = NULL;
    if (!strncmp(rest, "//", 2)) {
        size_t n = strcspn(rest + 2, "/?#");
        netloc = arena_strndup(req->arena, rest + 2, n);
        if (!*netloc) netloc = NULL;
    }
    if (!netloc && *scheme) return false;
    if (!*scheme && netloc) strcpy(scheme, "http");
    if (*scheme && strcmp(scheme, "http") && strcmp(scheme, "https")) return false;
    if (!netloc) return true;
    const json_t *hosts = config_get(req->cfg, "FAB_SAFE_REDIRECT_HOSTS");
    if (json_is_array(hosts) && json_array_size(hosts)) {
        size_t i;
        const json_t *pat;
        json_array_foreach(hosts, i, pat) {
            if (json_is_string(pat) && fnmatch(json_string_value(pat), netloc, 0) == 0) return true;
        }
        return false;
    }
    return req->host && !strcmp(netloc, req->host);
}

void url_quote_plus(strbuf_t *sb, const char *value) {
    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        if (isalnum(*p) || *p == '_' || *p == '.' || *p == '-' || *p == '~') strbuf_putc(sb, (char)*p);
        else if (*p == ' ') strbuf_putc(sb, '+');
        else strbuf_printf(sb, "%%%02X", *p);
    }
}
