/* Superset's default ADVANCED_DATA_TYPES, "internet_address" and "port":
 * translate_type() turns the strings a filter box holds (already str()-ed
 * the way Python would) into the values the filter uses, a display text, an
 * error message and the operators offered. Pure code; results live on the
 * caller's arena. */
#ifndef LITESET_DOMAIN_ADVANCED_TYPE_H
#define LITESET_DOMAIN_ADVANCED_TYPE_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/advanced_type_ip.h"
#include "lib/arena.h"

typedef enum {
    ADT_EMPTY,     /* "" (internet_address) or [""] (port): the request was [""] */
    ADT_INT,       /* one address */
    ADT_RANGE,     /* {"start": a, "end": b} */
    ADT_PORTS,     /* [p] or [p, q] */
} adt_kind_t;

typedef struct adt_value {
    adt_kind_t kind;
    adt_u128 a, b;    /* INT: a; RANGE: start a, end b */
    int ports[2];
    int n_ports;
} adt_value_t;

typedef struct adt_response {
    adt_value_t *values;
    size_t n_values;
    const char *error_message; /* "" when every value converted; may hold NUL bytes */
    size_t error_len;
    const char *display_value;
} adt_response_t;

typedef struct adt_input {
    const char *const *texts; /* str(value) of each value, UTF-8 */
    const size_t *lens;
    size_t n;
    bool single_empty;        /* the request's values were exactly [""] */
} adt_input_t;

typedef struct adt_type {
    const char *name;
    void (*translate)(arena_t *a, const adt_input_t *in, adt_response_t *out);
} adt_type_t;

/* The configured types in ADVANCED_DATA_TYPES order, NULL-name terminated. */
extern const adt_type_t adt_types[];

const adt_type_t *adt_type_find(const char *name);

/* valid_filter_operators of both types, NULL terminated. */
extern const char *const adt_filter_operators[];

#endif
