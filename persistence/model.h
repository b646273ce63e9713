/* Declarative description of a metadata table for the generic model engine:
 * its columns with types, its relations (many-to-one through a foreign key,
 * many-to-many through a link table), and how a row prints as text. A
 * resource (fcgi/model_rest.h) is built on one model.
 *
 * Declarations are static const tables; nothing here is allocated. */
#ifndef LITESET_PERSISTENCE_MODEL_H
#define LITESET_PERSISTENCE_MODEL_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    COL_INT,
    COL_FLOAT,
    COL_STRING,   /* varchar(n): max_len = n */
    COL_TEXT,
    COL_BOOL,
    COL_DATETIME, /* timestamp without time zone, ISO without zone */
    COL_DATE,
    COL_UUID,
    COL_ENUM,     /* text-valued enum */
} col_type_t;

typedef struct model_col {
    const char *name;  /* attribute name in the API and SQL column name */
    col_type_t type;
    int max_len;       /* COL_STRING length, 0 = unlimited */
    bool nullable;
    bool unique;
} model_col_t;

typedef struct model model_t;

typedef enum { REL_MANY_TO_ONE, REL_MANY_TO_MANY } rel_kind_t;

typedef struct model_rel {
    const char *name;        /* attribute name, e.g. "roles", "created_by" */
    rel_kind_t kind;
    const model_t *target;
    const char *fk;          /* many-to-one: FK column of this table */
    const char *link_table;  /* many-to-many: link table and its two FK columns */
    const char *link_self;
    const char *link_other;
    const char *link_seq;    /* sequence for the link table's id, or NULL (serial/default) */
} model_rel_t;

/* A model method exposed as a read-only column ("changed_on_delta_humanized").
 * sql is evaluated over alias t; format post-processes its JSON value. */
typedef enum {
    COMPUTED_RAW,           /* the SQL value as is */
    COMPUTED_HUMANIZE_AGO,  /* sql yields seconds; shown like humanize.naturaltime */
    COMPUTED_CRON_HUMANIZED, /* sql yields a crontab; shown like cron_descriptor.get_description */
    COMPUTED_JSON_OBJECT,   /* sql yields JSON text; shown parsed, {} when absent or invalid (ExtraJSONMixin) */
} computed_format_t;

typedef struct model_computed {
    const char *name;
    const char *sql;
    const char *renders;    /* column ordering by this name orders by (@renders), or NULL */
    computed_format_t format;
} model_computed_t;

/* An extra condition on the link rows of a many-to-many relation, for link
 * tables several owner types share (tagged_object rows carry object_type). */
typedef struct model_link_filter {
    const char *rel;
    const char *cond; /* " AND <SQL over the link row alias l>" */
} model_link_filter_t;

struct model {
    const char *table;
    const char *pk;          /* integer primary key column */
    const char *id_seq;      /* explicit sequence for new ids (FAB ab_* tables), or NULL */
    const char *name;        /* model class name, for titles ("User") */
    const model_col_t *cols; /* NULL-name terminated */
    const model_rel_t *rels; /* NULL-name terminated, may be NULL */
    const char *str_sql;     /* SQL expression (alias t) printing a row like str(row) */
    const model_computed_t *computed; /* NULL-name terminated, may be NULL */
    bool audit;              /* AuditMixin: created_on/changed_on/created_by_fk/changed_by_fk */
    const model_link_filter_t *link_filters; /* NULL-rel terminated, may be NULL */
};

const model_col_t *model_col(const model_t *m, const char *name);
const model_rel_t *model_rel(const model_t *m, const char *name);
const model_computed_t *model_computed(const model_t *m, const char *name);
/* The relation's link filter condition (" AND ..."), or "" (static). */
const char *model_link_cond(const model_t *m, const model_rel_t *r);

/* The audit columns every AuditMixinNullable model carries, and the derived
 * columns Superset exposes for them. */
#define MODEL_AUDIT_COLUMNS                                                                        \
    {"created_on", COL_DATETIME, 0, true, false}, {"changed_on", COL_DATETIME, 0, true, false}
#define MODEL_AUDIT_RELATIONS(self)                                                                \
    {"created_by", REL_MANY_TO_ONE, &self, "created_by_fk", NULL, NULL, NULL, NULL},              \
    {"changed_by", REL_MANY_TO_ONE, &self, "changed_by_fk", NULL, NULL, NULL, NULL}
extern const model_computed_t model_audit_computed[];

#endif
