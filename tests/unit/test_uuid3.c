/* Unit tests for lib/uuid3: Python's documented uuid3 vector and the MD5
 * namespace Superset derives from a seed. */
#include <criterion/criterion.h>
#include <string.h>

#include "lib/uuid3.h"

static arena_t *A;
static void setup(void) { A = arena_new(0); }
static void teardown(void) { arena_free(A); }

TestSuite(uuid3, .init = setup, .fini = teardown);

/* uuid.uuid3(uuid.NAMESPACE_DNS, 'python.org') from Python's documentation. */
Test(uuid3, python_doc_vector) {
    static const unsigned char dns[16] = {0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1,
                                          0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
    unsigned char u[16];
    uuid3_bytes(dns, "python.org", 10, u);
    cr_assert_str_eq(uuid3_text(A, u), "6fa459ea-ee8a-3ca4-894e-db77e160355e");
}

/* md5("") = d41d8cd98f00b204e9800998ecf8427e, taken verbatim as a UUID. */
Test(uuid3, namespace_from_seed) {
    unsigned char u[16];
    uuid3_namespace_from_seed("", u);
    cr_assert_str_eq(uuid3_text(A, u), "d41d8cd9-8f00-b204-e980-0998ecf8427e");
}
