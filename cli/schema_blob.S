/* Embeds the Superset 6.0.0 schema SQL (SCHEMA_PATH, given by the Makefile
 * relative to the repository root) into the `liteset` binary as a
 * NUL-terminated string: liteset_schema_sql .. liteset_schema_sql_end. */
    .section .rodata
    .global liteset_schema_sql
    .type liteset_schema_sql, @object
    .global liteset_schema_sql_end
    .type liteset_schema_sql_end, @object
    .balign 16
liteset_schema_sql:
    .incbin SCHEMA_PATH
liteset_schema_sql_end:
    .byte 0
    .size liteset_schema_sql, . - liteset_schema_sql
    .size liteset_schema_sql_end, 1

    .section .note.GNU-stack,"",@progbits
