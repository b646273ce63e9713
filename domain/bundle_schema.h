/* Validation of v1 import bundle files, as Superset's marshmallow import
 * schemas do it (ImportV1ChartSchema, ImportV1DashboardSchema,
 * ImportV1DatasetSchema with its column and metric schemas,
 * ImportV1DatabaseSchema, ImportV1SavedQuerySchema, ImportV1ThemeSchema,
 * MetadataSchema):
 * required fields, types, null, lengths and unknown fields, with
 * marshmallow's messages ({"field": ["Not a valid string."]}, nested list
 * items keyed by their index).
 *
 * Pure code: no database. Results are new jansson references. */
#ifndef LITESET_DOMAIN_BUNDLE_SCHEMA_H
#define LITESET_DOMAIN_BUNDLE_SCHEMA_H

#include <jansson.h>
#include <stdbool.h>

typedef enum {
    BUNDLE_DATABASES,
    BUNDLE_DATASETS,
    BUNDLE_CHARTS,
    BUNDLE_DASHBOARDS,
    BUNDLE_QUERIES,
    BUNDLE_THEMES, /* dashboard imports only */
    BUNDLE_KIND_COUNT,
} bundle_kind_t;

/* "databases/" ... "themes/". */
const char *bundle_prefix(bundle_kind_t k);
/* The kind of a bundle-relative file name by its first folder; -1 if none. */
int bundle_kind_of(const char *file_name);

/* Marshmallow errors of config under the kind's schema, or NULL when valid.
 * Databases: existing_db says whether a database with the config's uuid
 * exists (the masked-password rule applies to new ones only). */
json_t *bundle_validate(bundle_kind_t k, const json_t *config, bool existing_db);

/* MetadataSchema errors (version must be "1.0.0"), or NULL. *bad_version is
 * set when the version is missing or different (the reference then reports
 * an incorrect version rather than a validation error). */
json_t *bundle_validate_metadata(const json_t *metadata, bool *bad_version);

/* Python's str() of a message value: 'text', ['a', 'b'], {'k': [...]}
 * (keys that are list indexes print as integers). Malloc'd string. */
char *bundle_py_repr(const json_t *v);

/* True when s is a UUID in one of the spellings Python's uuid.UUID accepts
 * (hex with or without dashes, braces, urn:uuid: prefix). */
bool bundle_is_uuid(const char *s);

#endif
