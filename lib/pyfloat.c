/* Python float repr; see pyfloat.h. */
#include "lib/pyfloat.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Shortest round-tripping significant digits of |x| (x finite, non-zero):
 * fills digits (no trailing zeros) and returns the decimal exponent of the
 * first digit, i.e. |x| = 0.d1d2... * 10^(exp+1). */
static int shortest_digits(double x, char digits[20], int *ndigits) {
    char tmp[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, x);
        if (strtod(tmp, NULL) == x || prec == 17) break;
    }
    /* tmp is "d[.ddd]e[+-]XX". */
    int n = 0;
    char *p = tmp;
    for (; *p != 'e'; p++)
        if (*p != '.') digits[n++] = *p;
    while (n > 1 && digits[n - 1] == '0') n--;
    digits[n] = '\0';
    *ndigits = n;
    return atoi(p + 1);
}

size_t pyfloat_repr(double x, char buf[PYFLOAT_BUF]) {
    if (isnan(x)) return (size_t)snprintf(buf, PYFLOAT_BUF, "NaN");
    if (isinf(x)) return (size_t)snprintf(buf, PYFLOAT_BUF, x < 0 ? "-Infinity" : "Infinity");
    char *o = buf;
    if (signbit(x)) {
        *o++ = '-';
        x = -x;
    }
    if (x == 0) {
        strcpy(o, "0.0");
        return (size_t)(o - buf) + 3;
    }
    char digits[20];
    int nd;
    int exp10 = shortest_digits(x, digits, &nd);
    int decpt = exp10 + 1; /* digits before the decimal point */
    /* CPython's float_repr_style 'short': fixed notation for 1e-4 <= x < 1e16. */
    if (decpt > -4 && decpt <= 16) {
        if (decpt <= 0) {
            *o++ = '0';
            *o++ = '.';
            for (int i = 0; i < -decpt; i++) *o++ = '0';
            memcpy(o, digits, (size_t)nd);
            o += nd;
        } else if (decpt >= nd) {
            memcpy(o, digits, (size_t)nd);
            o += nd;
            for (int i = nd; i < decpt; i++) *o++ = '0';
            *o++ = '.';
            *o++ = '0';
        } else {
            memcpy(o, digits, (size_t)decpt);
            o += decpt;
            *o++ = '.';
            memcpy(o, digits + decpt, (size_t)(nd - decpt));
            o += nd - decpt;
        }
        *o = '\0';
        return (size_t)(o - buf);
    }
    *o++ = digits[0];
    if (nd > 1) {
        *o++ = '.';
        memcpy(o, digits + 1, (size_t)(nd - 1));
        o += nd - 1;
    }
    o += sprintf(o, "e%c%02d", exp10 < 0 ? '-' : '+', abs(exp10));
    return (size_t)(o - buf);
}
