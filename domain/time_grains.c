/* Time grains each engine spec offers, by the spec's engine name (the
 * SQLAlchemy backend): indexes into the built-in grain list, in display
 * order (sub-day grains, then day and longer, then the week variants).
 * Grains outside the built-in list (PT0.5H, P0.25Y) are never displayed
 * and are left out. */
#include "domain/time_grains.h"

#include <string.h>

const time_grain_t time_grain_builtin[TIME_GRAIN_COUNT] = {
    {"PT1S", "Second"},
    {"PT5S", "5 second"},
    {"PT30S", "30 second"},
    {"PT1M", "Minute"},
    {"PT5M", "5 minute"},
    {"PT10M", "10 minute"},
    {"PT15M", "15 minute"},
    {"PT30M", "30 minute"},
    {"PT1H", "Hour"},
    {"PT6H", "6 hour"},
    {"P1D", "Day"},
    {"P1W", "Week"},
    {"P1M", "Month"},
    {"P3M", "Quarter"},
    {"P1Y", "Year"},
    {"1969-12-28T00:00:00Z/P1W", "Week starting Sunday"},
    {"1969-12-29T00:00:00Z/P1W", "Week starting Monday"},
    {"P1W/1970-01-03T00:00:00Z", "Week ending Saturday"},
    {"P1W/1970-01-04T00:00:00Z", "Week ending Sunday"},
};

static const time_grain_engine_t engines[] = {
    {"ascend", {0, 3, 8, 10, 11, 12, 13, 14}, 8},
    {"awsathena", {0, 3, 8, 10, 11, 12, 13, 14, 17, 15}, 10},
    {"bigquery", {0, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 16}, 13},
    {"clickhouse", {3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14}, 11},
    {"clickhousedb", {3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14}, 11},
    {"cockroachdb", {0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14}, 14},
    {"couchbase", {0, 3, 8, 10, 12, 13, 14}, 7},
    {"crate", {0, 3, 8, 10, 11, 12, 13, 14}, 8},
    {"databend", {0, 3, 4, 5, 6, 8, 10, 11, 12, 13, 14}, 11},
    {"databricks", {0, 3, 8, 10, 11, 12, 13, 14, 17, 15}, 10},
    {"db2", {0, 3, 8, 10, 11, 12, 13, 14}, 8},
    {"denodo", {3, 8, 10, 11, 12, 13, 14}, 7},
    {"dremio", {0, 3, 8, 10, 11, 12, 13, 14}, 8},
    {"drill", {0, 3, 6, 7, 8, 10, 11, 12, 13, 14}, 10},
    {"druid", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 17, 15}, 17},
    {"duckdb", {0, 3, 8, 10, 11, 12, 13, 14}, 8},
    {"dynamodb", {0, 3, 8, 10, 11, 12, 13, 14, 17, 18, 15, 16}, 12},
    {"elasticsearch", {0, 3, 8, 10, 11, 12, 14}, 7},
    {"exa", {0, 3, 8, 10, 11, 12, 13, 14}, 8},
    {"firebird", {0, 3, 8, 10, 12, 14}, 6},
    {"firebolt", {0, 3, 8, 10, 11, 12, 13, 14}, 8},
    {"gsheets", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 17, 18, 15, 16}, 19},
    {"hana", {0, 3, 8, 10, 12, 13, 14}, 7},
    {"hive", {0, 3, 8, 10, 11, 12, 13, 14, 17, 15}, 10},
    {"ibmi", {0, 3, 8, 10, 11, 12, 13, 14}, 8},
    {"impala", {3, 8, 10, 11, 12, 13, 14}, 7},
    {"kustokql", {0, 2, 3, 4, 7, 8, 10, 11, 12, 14}, 10},
    {"kustosql", {0, 3, 4, 5, 6, 8, 10, 11, 12, 13, 14, 15, 16}, 13},
    {"kylin", {0, 3, 8, 10, 11, 12, 13, 14}, 8},
    {"mariadb", {0, 3, 8, 10, 11, 12, 13, 14, 16}, 9},
    {"motherduck", {0, 3, 8, 10, 11, 12, 13, 14}, 8},
    {"mssql", {0, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16}, 14},
    {"mysql", {0, 3, 8, 10, 11, 12, 13, 14, 16}, 9},
    {"netezza", {0, 3, 8, 10, 11, 12, 13, 14}, 8},
    {"oceanbase", {0, 3, 8, 10, 11, 12, 13, 14, 16}, 9},
    {"ocient", {0, 3, 8, 10, 11, 12, 14}, 7},
    {"odelasticsearch", {0, 3, 8, 10, 12, 14}, 6},
    {"oracle", {0, 3, 8, 10, 11, 12, 13, 14}, 8},
    {"parseable", {0, 3, 8, 10, 11, 12, 13, 14}, 8},
    {"pinot", {0, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14}, 12},
    {"postgresql", {0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14}, 14},
    {"presto", {0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}, 18},
    {"pydoris", {0, 3, 8, 10, 11, 12, 13, 14, 16}, 9},
    {"redshift", {0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14}, 14},
    {"risingwave", {0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14}, 14},
    {"shillelagh", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 17, 18, 15, 16}, 19},
    {"singlestoredb", {0, 3, 8, 10, 11, 12, 13, 14}, 8},
    {"snowflake", {0, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14}, 12},
    {"solr", {}, 0},
    {"sqlite", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 17, 18, 15, 16}, 19},
    {"starrocks", {0, 3, 8, 10, 11, 12, 13, 14, 16}, 9},
    {"superset", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 17, 18, 15, 16}, 19},
    {"taosws", {0, 3, 8, 10, 11}, 5},
    {"teradatasql", {3, 8, 10, 11, 12, 13, 14}, 7},
    {"trino", {0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}, 18},
    {"vertica", {0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14}, 14},
    {"yql", {0, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14}, 13},
};

/* Backend names that reach a spec under another engine name. */
static const struct {
    const char *alias, *engine;
} aliases[] = {
    {"postgres", "postgresql"},
};

const time_grain_engine_t *time_grains_for(const char *backend) {
    if (!backend) return NULL;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (!strcmp(backend, aliases[i].alias)) backend = aliases[i].engine;
    for (size_t i = 0; i < sizeof engines / sizeof engines[0]; i++)
        if (!strcmp(backend, engines[i].engine)) return &engines[i];
    return NULL;
}
