/* Python's repr() of a float (the shortest decimal string that reads back as
 * the same double), which json.dumps uses for every float: 0.1 -> "0.1",
 * 1e16 -> "1e+16", 1e-05 -> "1e-05", 2.0 -> "2.0". Signed JWTs and cookies
 * need these exact bytes. Assumes the C locale (decimal point '.'). */
#ifndef LITESET_PYFLOAT_H
#define LITESET_PYFLOAT_H

#include <stddef.h>

/* Longest result: sign, 17 digits, point, "e-308", NUL, with margin. */
#define PYFLOAT_BUF 32

/* Writes repr(x) into buf and returns its length. Non-finite values are
 * written as json.dumps does: "NaN", "Infinity", "-Infinity". */
size_t pyfloat_repr(double x, char buf[PYFLOAT_BUF]);

#endif
