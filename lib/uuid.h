/* Random (version 4) UUIDs in their canonical 36-character text form, as
 * Python's str(uuid.uuid4()) prints them. */
#ifndef LITESET_UUID_H
#define LITESET_UUID_H

#include "lib/arena.h"

char *uuid4_text(arena_t *a);

#endif
