/* Werkzeug password hashes as stored by Flask-AppBuilder in ab_user.password:
 * "<method>$<salt>$<hex>", methods scrypt[:n:r:p] and pbkdf2[:hash[:iter]].
 * Hashing is CPU-heavy (tens to hundreds of ms): callers on the event loop
 * must run these through the offload pool, never directly on the loop. */
#ifndef LITESET_PASSWORD_H
#define LITESET_PASSWORD_H

typedef enum {
    PW_MATCH = 0,
    PW_MISMATCH,
    PW_UNSUPPORTED, /* NULL, or a value werkzeug 3.1 would raise on (see password_check) */
} pw_result_t;

/* PW_MISMATCH for a value with fewer than two '$' (werkzeug returns False,
 * e.g. for the empty password of OAuth/LDAP users). PW_UNSUPPORTED, without
 * hashing, for: NULL arguments; methods other than scrypt[:n:r:p] and
 * pbkdf2[:hash[:iterations]] (legacy plain/sha256/md5 forms); scrypt with
 * other than 0 or 3 parameters, n not a power of two > 1, r or p < 1 or
 * 132*n*r*p > 1 GiB, or parameters OpenSSL refuses under werkzeug's maxmem
 * of 132*n*r*p (e.g. n = 64, r = 1, p = 1); pbkdf2 with more than two
 * parameters, a hash other than md5/sha1/sha224/sha256/sha384/sha512 (any
 * case, OpenSSL aliases such as "SHA-256" and "sha2-256" included), or
 * iterations outside 1..10,000,000; non-ASCII bytes in the stored digest.
 * Integers are read like Python's int() ("1_000", surrounding spaces). */
pw_result_t password_check(const char *stored, const char *password);

/* New hash in FAB's default format: scrypt:32768:8:1 with a 16-character
 * [A-Za-z0-9] salt. Heap string, caller frees. NULL on failure. */
char *password_hash(const char *password);
/* Same with an explicit werkzeug method string and salt length (1..1024);
 * the method is written normalised like werkzeug ("pbkdf2" ->
 * "pbkdf2:sha256:1000000"). NULL where werkzeug would raise. */
char *password_hash_with(const char *password, const char *method, int salt_len);

#endif
