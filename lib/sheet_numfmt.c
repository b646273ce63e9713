/* Excel number formats: which ones show a date or time (so that a numeric
 * cell carrying one is a timestamp), following openpyxl's rule. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/sheet_reader.h"

int sheet_numfmt_builtin_is_date(long id) { return (id >= 14 && id <= 22) || (id >= 45 && id <= 47); }

/* [h] [hh] [m] [mm] [s] [ss]: elapsed-time brackets, which count as time. */
static bool elapsed_bracket(const char *open, size_t n) {
    static const char *const KEPT[] = {"h", "hh", "m", "mm", "s", "ss"};
    for (size_t k = 0; k < sizeof KEPT / sizeof *KEPT; k++)
        if (strlen(KEPT[k]) == n && !memcmp(open + 1, KEPT[k], n)) return true;
    return false;
}

int sheet_numfmt_is_elapsed(const char *fmt) {
    static const char *const UNITS[] = {"[h]", "[hh]", "[m]", "[mm]", "[s]", "[ss]"};
    if (!fmt) return 0;
    size_t len = strcspn(fmt, ";");
    for (size_t i = 0; i < len; i++)
        for (size_t k = 0; k < sizeof UNITS / sizeof *UNITS; k++)
            if (len - i >= strlen(UNITS[k]) && !strncasecmp(fmt + i, UNITS[k], strlen(UNITS[k]))) return 1;
    return 0;
}

int sheet_numfmt_is_date(const char *fmt) {
    if (!fmt) return 0;
    size_t len = strcspn(fmt, ";"); /* the first section only */
    char *kept = malloc(len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        const char *close = NULL;
        if (fmt[i] == '[' || fmt[i] == '"') close = memchr(fmt + i + 1, fmt[i] == '[' ? ']' : '"', len - i - 1);
        if (close && !(fmt[i] == '[' && elapsed_bracket(fmt + i, (size_t)(close - fmt - i - 1)))) {
            i = (size_t)(close - fmt); /* a dropped [..] or "..." part */
            continue;
        }
        kept[n++] = fmt[i];
    }
    int found = 0;
    for (size_t i = 0; i < n && !found; i++)
        found = strchr("dmhysDMHYS", kept[i]) && kept[i] && !(i > 0 && (kept[i - 1] == '_' || kept[i - 1] == '\\'));
    free(kept);
    return found;
}
