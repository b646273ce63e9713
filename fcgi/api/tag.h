/* Handlers of /api/v1/tag beyond the generic engine, routed by tag.c:
 * writes (tag_write.c) and tagged-object and favorite reads (tag_objects.c). */
#ifndef LITESET_FCGI_API_TAG_H
#define LITESET_FCGI_API_TAG_H

#include "fcgi/request.h"

void tag_post(request_t *req);          /* POST / */
void tag_put(request_t *req);           /* PUT /<pk> */
void tag_bulk_create(request_t *req);   /* POST /bulk_create */
void tag_add_objects(request_t *req);   /* POST /<int:object_type>/<int:object_id>/ */
void tag_delete_object(request_t *req); /* DELETE /<int:object_type>/<int:object_id>/<tag>/ */
void tag_get_objects(request_t *req);   /* GET /get_objects/ */
void tag_favorite_status(request_t *req); /* GET /favorite_status/ */
void tag_add_favorite(request_t *req);    /* POST /<pk>/favorites/ */
void tag_remove_favorite(request_t *req); /* DELETE /<pk>/favorites/ */

#endif
