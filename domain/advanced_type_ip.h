/* Python's ipaddress.ip_network(text, strict=False) for Superset's
 * "internet_address" advanced data type: IPv4 and IPv6 addresses and
 * networks (prefix length, or for IPv4 a dotted netmask or hostmask), with
 * the module's exact acceptance rules (no leading zeros in IPv4 octets,
 * one "::", an embedded IPv4 tail, a "%scope" on IPv6 addresses, host bits
 * cleared). Pure code, no allocation. */
#ifndef LITESET_DOMAIN_ADVANCED_TYPE_IP_H
#define LITESET_DOMAIN_ADVANCED_TYPE_IP_H

#include <stdbool.h>
#include <stddef.h>

typedef unsigned __int128 adt_u128;

/* First and last address of the network the text names; false when
 * ipaddress refuses it (its message is then "'<text>' does not appear to be
 * an IPv4 or IPv6 network", whatever the reason). */
bool adt_ip_network(const char *s, size_t n, adt_u128 *first, adt_u128 *last);

/* Decimal text of v into buf (at least 40 bytes); returns its length. */
size_t adt_u128_format(adt_u128 v, char *buf);

#endif
