-- Liteset: the Apache Superset 6.0.0 metadata schema at alembic head c233f5365c9e.
--
-- Running this on an empty PostgreSQL database gives the same schema that
-- Superset 6.0.0's `superset db upgrade` (plus Flask-AppBuilder's security
-- tables) produces: same types, tables, column order, defaults, sequences,
-- constraint and index names. It ends by stamping alembic_version, so Superset
-- 6.0.0 and Liteset can both run on the database afterwards.
--
-- `liteset db upgrade` embeds this file and runs it inside one transaction,
-- after checking that the database is empty. By hand: psql -1 -v ON_ERROR_STOP=1 -f.
-- Column types are spelled briefly (varchar, timestamp = timestamp without time zone).

SET LOCAL search_path TO public;

-- ==============================================================================
-- Enum types. Superset's migrations create them; no column uses them at head.
-- ==============================================================================

CREATE TYPE emaildeliverytype AS ENUM ('attachment', 'inline');
CREATE TYPE objecttype AS ENUM ('query', 'chart', 'dashboard', 'dataset');
CREATE TYPE sliceemailreportformat AS ENUM ('visualization', 'data');
CREATE TYPE tagtype AS ENUM ('custom', 'type', 'owner', 'favorited_by');

-- Parses text as jsonb, NULL when it is not valid JSON. Superset's migrations
-- leave it behind after casting a text column to jsonb; it is part of the head schema.
CREATE FUNCTION safe_to_jsonb(input text) RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE
    AS $$
BEGIN
  RETURN input::jsonb;
EXCEPTION WHEN invalid_text_representation THEN
  RETURN NULL;
END;
$$;

-- ==============================================================================
-- Flask-AppBuilder security: users, roles, groups, permissions. FAB draws ids from
-- its own sequences on the client side, so these ids have no server default and the
-- sequences are plain bigint sequences owned by nobody.
-- ==============================================================================

CREATE SEQUENCE ab_permission_id_seq;
CREATE TABLE ab_permission (
    id   integer NOT NULL,
    name varchar(100) NOT NULL,
    CONSTRAINT ab_permission_pkey PRIMARY KEY (id),
    CONSTRAINT ab_permission_name_key UNIQUE (name)
);

CREATE SEQUENCE ab_view_menu_id_seq;
CREATE TABLE ab_view_menu (
    id   integer NOT NULL,
    name varchar(255) NOT NULL,
    CONSTRAINT ab_view_menu_pkey PRIMARY KEY (id),
    CONSTRAINT ab_view_menu_name_key UNIQUE (name)
);

CREATE SEQUENCE ab_permission_view_id_seq;
CREATE TABLE ab_permission_view (
    id            integer NOT NULL,
    permission_id integer,
    view_menu_id  integer,
    CONSTRAINT ab_permission_view_pkey PRIMARY KEY (id),
    CONSTRAINT ab_permission_view_permission_id_view_menu_id_key UNIQUE (permission_id, view_menu_id)
);
CREATE INDEX idx_permission_id ON ab_permission_view (permission_id);
CREATE INDEX idx_view_menu_id ON ab_permission_view (view_menu_id);

CREATE SEQUENCE ab_role_id_seq;
CREATE TABLE ab_role (
    id   integer NOT NULL,
    name varchar(64) NOT NULL,
    CONSTRAINT ab_role_pkey PRIMARY KEY (id),
    CONSTRAINT ab_role_name_key UNIQUE (name)
);

CREATE SEQUENCE ab_permission_view_role_id_seq;
CREATE TABLE ab_permission_view_role (
    id                 integer NOT NULL,
    permission_view_id integer,
    role_id            integer,
    CONSTRAINT ab_permission_view_role_pkey PRIMARY KEY (id),
    CONSTRAINT ab_permission_view_role_permission_view_id_role_id_key UNIQUE (permission_view_id, role_id)
);
CREATE INDEX idx_permission_view_id ON ab_permission_view_role (permission_view_id);
CREATE INDEX idx_role_id ON ab_permission_view_role (role_id);

CREATE SEQUENCE ab_user_id_seq;
CREATE TABLE ab_user (
    id               integer NOT NULL,
    first_name       varchar(64) NOT NULL,
    last_name        varchar(64) NOT NULL,
    username         varchar(64) NOT NULL,
    password         varchar(256),
    active           boolean,
    email            varchar(320) NOT NULL,
    last_login       timestamp,
    login_count      integer,
    fail_login_count integer,
    created_on       timestamp,
    changed_on       timestamp,
    created_by_fk    integer,
    changed_by_fk    integer,
    CONSTRAINT ab_user_pkey PRIMARY KEY (id),
    CONSTRAINT ab_user_email_key UNIQUE (email),
    CONSTRAINT ab_user_username_key UNIQUE (username)
);

CREATE SEQUENCE ab_user_role_id_seq;
CREATE TABLE ab_user_role (
    id      integer NOT NULL,
    user_id integer,
    role_id integer,
    CONSTRAINT ab_user_role_pkey PRIMARY KEY (id),
    CONSTRAINT ab_user_role_user_id_role_id_key UNIQUE (user_id, role_id)
);

CREATE SEQUENCE ab_group_id_seq;
CREATE TABLE ab_group (
    id          integer NOT NULL,
    name        varchar(100) NOT NULL,
    label       varchar(150),
    description varchar(512),
    CONSTRAINT ab_group_pkey PRIMARY KEY (id),
    CONSTRAINT ab_group_name_key UNIQUE (name)
);

CREATE SEQUENCE ab_group_role_id_seq;
CREATE TABLE ab_group_role (
    id       integer NOT NULL,
    group_id integer,
    role_id  integer,
    CONSTRAINT ab_group_role_pkey PRIMARY KEY (id),
    CONSTRAINT ab_group_role_group_id_role_id_key UNIQUE (group_id, role_id)
);
CREATE INDEX idx_group_id ON ab_group_role (group_id);
CREATE INDEX idx_group_role_id ON ab_group_role (role_id);

CREATE SEQUENCE ab_user_group_id_seq;
CREATE TABLE ab_user_group (
    id       integer NOT NULL,
    user_id  integer,
    group_id integer,
    CONSTRAINT ab_user_group_pkey PRIMARY KEY (id),
    CONSTRAINT ab_user_group_user_id_group_id_key UNIQUE (user_id, group_id)
);
CREATE INDEX idx_user_group_id ON ab_user_group (group_id);
CREATE INDEX idx_user_id ON ab_user_group (user_id);

CREATE SEQUENCE ab_register_user_id_seq;
CREATE TABLE ab_register_user (
    id                integer NOT NULL,
    first_name        varchar(64) NOT NULL,
    last_name         varchar(64) NOT NULL,
    username          varchar(64) NOT NULL,
    password          varchar(256),
    email             varchar(320) NOT NULL,
    registration_date timestamp,
    registration_hash varchar(256),
    CONSTRAINT ab_register_user_pkey PRIMARY KEY (id),
    CONSTRAINT ab_register_user_email_key UNIQUE (email),
    CONSTRAINT ab_register_user_username_key UNIQUE (username)
);

-- ==============================================================================
-- Database connections and datasets.
-- ==============================================================================

CREATE SEQUENCE dbs_id_seq AS integer;
CREATE TABLE dbs (
    created_on                timestamp,
    changed_on                timestamp,
    id                        integer NOT NULL DEFAULT nextval('dbs_id_seq'),
    database_name             varchar(250) NOT NULL,
    sqlalchemy_uri            varchar(1024) NOT NULL,
    created_by_fk             integer,
    changed_by_fk             integer,
    password                  bytea,
    cache_timeout             integer,
    extra                     text,
    select_as_create_table_as boolean,
    allow_ctas                boolean,
    expose_in_sqllab          boolean,
    force_ctas_schema         varchar(250),
    allow_run_async           boolean,
    allow_dml                 boolean,
    verbose_name              varchar(250),
    impersonate_user          boolean,
    allow_file_upload         boolean DEFAULT true NOT NULL,
    encrypted_extra           bytea,
    server_cert               bytea,
    allow_cvas                boolean,
    uuid                      uuid,
    configuration_method      varchar(255) DEFAULT 'sqlalchemy_form',
    is_managed_externally     boolean DEFAULT false NOT NULL,
    external_url              text,
    CONSTRAINT dbs_pkey PRIMARY KEY (id),
    CONSTRAINT dbs_database_name_key UNIQUE (database_name),
    CONSTRAINT dbs_verbose_name_key UNIQUE (verbose_name),
    CONSTRAINT uq_dbs_uuid UNIQUE (uuid)
);
ALTER SEQUENCE dbs_id_seq OWNED BY dbs.id;

CREATE SEQUENCE ssh_tunnels_id_seq AS integer;
CREATE TABLE ssh_tunnels (
    created_on           timestamp,
    changed_on           timestamp,
    created_by_fk        integer,
    changed_by_fk        integer,
    extra_json           text,
    uuid                 uuid,
    id                   integer NOT NULL DEFAULT nextval('ssh_tunnels_id_seq'),
    database_id          integer,
    server_address       varchar(256),
    server_port          integer,
    username             bytea,
    password             bytea,
    private_key          bytea,
    private_key_password bytea,
    CONSTRAINT ssh_tunnels_pkey PRIMARY KEY (id)
);
ALTER SEQUENCE ssh_tunnels_id_seq OWNED BY ssh_tunnels.id;
CREATE UNIQUE INDEX ix_ssh_tunnels_database_id ON ssh_tunnels (database_id);
CREATE UNIQUE INDEX ix_ssh_tunnels_uuid ON ssh_tunnels (uuid);

CREATE SEQUENCE database_user_oauth2_tokens_id_seq AS integer;
CREATE TABLE database_user_oauth2_tokens (
    created_on              timestamp,
    changed_on              timestamp,
    id                      integer NOT NULL DEFAULT nextval('database_user_oauth2_tokens_id_seq'),
    user_id                 integer NOT NULL,
    database_id             integer NOT NULL,
    access_token            bytea,
    access_token_expiration timestamp,
    refresh_token           bytea,
    created_by_fk           integer,
    changed_by_fk           integer,
    CONSTRAINT database_user_oauth2_tokens_pkey PRIMARY KEY (id)
);
ALTER SEQUENCE database_user_oauth2_tokens_id_seq OWNED BY database_user_oauth2_tokens.id;
CREATE INDEX idx_user_id_database_id ON database_user_oauth2_tokens (user_id, database_id);

CREATE SEQUENCE tables_id_seq AS integer;
CREATE TABLE tables (
    created_on              timestamp,
    changed_on              timestamp,
    id                      integer NOT NULL DEFAULT nextval('tables_id_seq'),
    table_name              varchar(250) NOT NULL,
    main_dttm_col           varchar(250),
    default_endpoint        text,
    database_id             integer NOT NULL,
    created_by_fk           integer,
    changed_by_fk           integer,
    "offset"                integer,
    description             text,
    is_featured             boolean,
    cache_timeout           integer,
    schema                  varchar(255),
    sql                     text,
    params                  text,
    perm                    varchar(1000),
    filter_select_enabled   boolean,
    fetch_values_predicate  text,
    is_sqllab_view          boolean DEFAULT false,
    template_params         text,
    schema_perm             varchar(1000),
    extra                   text,
    uuid                    uuid,
    is_managed_externally   boolean DEFAULT false NOT NULL,
    external_url            text,
    normalize_columns       boolean DEFAULT false,
    always_filter_main_dttm boolean DEFAULT false,
    catalog                 varchar(256),
    catalog_perm            varchar(1000),
    folders                 json,
    CONSTRAINT tables_pkey PRIMARY KEY (id),
    CONSTRAINT _customer_location_uc UNIQUE (database_id, schema, table_name),
    CONSTRAINT uq_tables_uuid UNIQUE (uuid)
);
ALTER SEQUENCE tables_id_seq OWNED BY tables.id;

CREATE SEQUENCE table_columns_id_seq AS integer;
CREATE TABLE table_columns (
    created_on         timestamp,
    changed_on         timestamp,
    id                 integer NOT NULL DEFAULT nextval('table_columns_id_seq'),
    table_id           integer,
    column_name        varchar(255) NOT NULL,
    is_dttm            boolean,
    is_active          boolean,
    type               text,
    groupby            boolean,
    filterable         boolean,
    description        text,
    created_by_fk      integer,
    changed_by_fk      integer,
    expression         text,
    verbose_name       varchar(1024),
    python_date_format varchar(255),
    uuid               uuid,
    extra              text,
    advanced_data_type varchar(255),
    CONSTRAINT table_columns_pkey PRIMARY KEY (id),
    CONSTRAINT uq_table_columns_column_name UNIQUE (column_name, table_id),
    CONSTRAINT uq_table_columns_uuid UNIQUE (uuid)
);
ALTER SEQUENCE table_columns_id_seq OWNED BY table_columns.id;

CREATE SEQUENCE sql_metrics_id_seq AS integer;
CREATE TABLE sql_metrics (
    created_on    timestamp,
    changed_on    timestamp,
    id            integer NOT NULL DEFAULT nextval('sql_metrics_id_seq'),
    metric_name   varchar(255) NOT NULL,
    verbose_name  varchar(1024),
    metric_type   varchar(32),
    table_id      integer,
    expression    text NOT NULL,
    description   text,
    created_by_fk integer,
    changed_by_fk integer,
    d3format      varchar(128),
    warning_text  text,
    extra         text,
    uuid          uuid,
    currency      jsonb,
    CONSTRAINT sql_metrics_pkey PRIMARY KEY (id),
    CONSTRAINT uq_sql_metrics_metric_name UNIQUE (metric_name, table_id),
    CONSTRAINT uq_sql_metrics_uuid UNIQUE (uuid)
);
ALTER SEQUENCE sql_metrics_id_seq OWNED BY sql_metrics.id;

CREATE SEQUENCE sqlatable_user_id_seq AS integer;
CREATE TABLE sqlatable_user (
    id       integer NOT NULL DEFAULT nextval('sqlatable_user_id_seq'),
    user_id  integer,
    table_id integer,
    CONSTRAINT sqlatable_user_pkey PRIMARY KEY (id)
);
ALTER SEQUENCE sqlatable_user_id_seq OWNED BY sqlatable_user.id;

CREATE SEQUENCE row_level_security_filters_id_seq AS integer;
CREATE TABLE row_level_security_filters (
    created_on    timestamp,
    changed_on    timestamp,
    id            integer NOT NULL DEFAULT nextval('row_level_security_filters_id_seq'),
    clause        text NOT NULL,
    created_by_fk integer,
    changed_by_fk integer,
    filter_type   varchar(255),
    group_key     varchar(255),
    name          varchar(255) NOT NULL,
    description   text,
    CONSTRAINT row_level_security_filters_pkey PRIMARY KEY (id),
    CONSTRAINT uq_rls_name UNIQUE (name)
);
ALTER SEQUENCE row_level_security_filters_id_seq OWNED BY row_level_security_filters.id;
CREATE INDEX ix_row_level_security_filters_filter_type ON row_level_security_filters (filter_type);

CREATE SEQUENCE rls_filter_roles_id_seq AS integer;
CREATE TABLE rls_filter_roles (
    id            integer NOT NULL DEFAULT nextval('rls_filter_roles_id_seq'),
    role_id       integer NOT NULL,
    rls_filter_id integer,
    CONSTRAINT rls_filter_roles_pkey PRIMARY KEY (id)
);
ALTER SEQUENCE rls_filter_roles_id_seq OWNED BY rls_filter_roles.id;

CREATE SEQUENCE rls_filter_tables_id_seq AS integer;
CREATE TABLE rls_filter_tables (
    id            integer NOT NULL DEFAULT nextval('rls_filter_tables_id_seq'),
    table_id      integer,
    rls_filter_id integer,
    CONSTRAINT rls_filter_tables_pkey PRIMARY KEY (id)
);
ALTER SEQUENCE rls_filter_tables_id_seq OWNED BY rls_filter_tables.id;

-- ==============================================================================
-- Charts, dashboards, themes and annotations.
-- ==============================================================================

CREATE SEQUENCE themes_id_seq AS integer;
CREATE TABLE themes (
    uuid              uuid,
    created_on        timestamp,
    changed_on        timestamp,
    id                integer NOT NULL DEFAULT nextval('themes_id_seq'),
    theme_name        varchar(250),
    json_data         text,
    is_system         boolean NOT NULL,
    created_by_fk     integer,
    changed_by_fk     integer,
    is_system_default boolean NOT NULL,
    is_system_dark    boolean NOT NULL,
    CONSTRAINT themes_pkey PRIMARY KEY (id),
    CONSTRAINT themes_uuid_key UNIQUE (uuid)
);
ALTER SEQUENCE themes_id_seq OWNED BY themes.id;
CREATE INDEX idx_theme_is_system_dark ON themes (is_system_dark);
CREATE INDEX idx_theme_is_system_default ON themes (is_system_default);

CREATE SEQUENCE css_templates_id_seq AS integer;
CREATE TABLE css_templates (
    created_on    timestamp,
    changed_on    timestamp,
    id            integer NOT NULL DEFAULT nextval('css_templates_id_seq'),
    template_name varchar(250),
    css           text,
    changed_by_fk integer,
    created_by_fk integer,
    uuid          uuid,
    CONSTRAINT css_templates_pkey PRIMARY KEY (id)
);
ALTER SEQUENCE css_templates_id_seq OWNED BY css_templates.id;

CREATE SEQUENCE slices_id_seq AS integer;
CREATE TABLE slices (
    created_on            timestamp,
    changed_on            timestamp,
    id                    integer NOT NULL DEFAULT nextval('slices_id_seq'),
    slice_name            varchar(250),
    druid_datasource_id   integer,
    table_id              integer,
    datasource_type       varchar(200),
    datasource_name       varchar(2000),
    viz_type              varchar(250),
    params                text,
    created_by_fk         integer,
    changed_by_fk         integer,
    description           text,
    cache_timeout         integer,
    perm                  varchar(2000),
    datasource_id         integer,
    schema_perm           varchar(1000),
    uuid                  uuid,
    query_context         text,
    last_saved_at         timestamp,
    last_saved_by_fk      integer,
    certified_by          text,
    certification_details text,
    is_managed_externally boolean DEFAULT false NOT NULL,
    external_url          text,
    catalog_perm          varchar(1000),
    CONSTRAINT slices_pkey PRIMARY KEY (id),
    CONSTRAINT uq_slices_uuid UNIQUE (uuid),
    CONSTRAINT ck_chart_datasource CHECK (datasource_type = 'table')
);
ALTER SEQUENCE slices_id_seq OWNED BY slices.id;

CREATE SEQUENCE slice_user_id_seq AS integer;
CREATE TABLE slice_user (
    id       integer NOT NULL DEFAULT nextval('slice_user_id_seq'),
    user_id  integer,
    slice_id integer,
    CONSTRAINT slice_user_pkey PRIMARY KEY (id)
);
ALTER SEQUENCE slice_user_id_seq OWNED BY slice_user.id;

CREATE SEQUENCE dashboards_id_seq AS integer;
CREATE TABLE dashboards (
    created_on            timestamp,
    changed_on            timestamp,
    id                    integer NOT NULL DEFAULT nextval('dashboards_id_seq'),
    dashboard_title       varchar(500),
    position_json         text,
    created_by_fk         integer,
    changed_by_fk         integer,
    css                   text,
    description           text,
    slug                  varchar(255),
    json_metadata         text,
    published             boolean,
    uuid                  uuid,
    certified_by          text,
    certification_details text,
    is_managed_externally boolean DEFAULT false NOT NULL,
    external_url          text,
    theme_id              integer,
    CONSTRAINT dashboards_pkey PRIMARY KEY (id),
    CONSTRAINT idx_unique_slug UNIQUE (slug),
    CONSTRAINT uq_dashboards_uuid UNIQUE (uuid)
);
ALTER SEQUENCE dashboards_id_seq OWNED BY dashboards.id;

CREATE SEQUENCE dashboard_slices_id_seq AS integer;
CREATE TABLE dashboard_slices (
    id           integer NOT NULL DEFAULT nextval('dashboard_slices_id_seq'),
    dashboard_id integer,
    slice_id     integer,
    CONSTRAINT dashboard_slices_pkey PRIMARY KEY (id),
    CONSTRAINT uq_dashboard_slice UNIQUE (dashboard_id, slice_id)
);
ALTER SEQUENCE dashboard_slices_id_seq OWNED BY dashboard_slices.id;

CREATE SEQUENCE dashboard_user_id_seq AS integer;
CREATE TABLE dashboard_user (
    id           integer NOT NULL DEFAULT nextval('dashboard_user_id_seq'),
    user_id      integer,
    dashboard_id integer,
    CONSTRAINT dashboard_user_pkey PRIMARY KEY (id)
);
ALTER SEQUENCE dashboard_user_id_seq OWNED BY dashboard_user.id;

CREATE SEQUENCE dashboard_roles_id_seq AS integer;
CREATE TABLE dashboard_roles (
    id           integer NOT NULL DEFAULT nextval('dashboard_roles_id_seq'),
    role_id      integer NOT NULL,
    dashboard_id integer,
    CONSTRAINT dashboard_roles_pkey PRIMARY KEY (id)
);
ALTER SEQUENCE dashboard_roles_id_seq OWNED BY dashboard_roles.id;

CREATE TABLE embedded_dashboards (
    created_on        timestamp,
    changed_on        timestamp,
    allow_domain_list text,
    uuid              uuid,
    dashboard_id      integer NOT NULL,
    changed_by_fk     integer,
    created_by_fk     integer
);

CREATE SEQUENCE annotation_layer_id_seq AS integer;
CREATE TABLE annotation_layer (
    created_on    timestamp,
    changed_on    timestamp,
    id            integer NOT NULL DEFAULT nextval('annotation_layer_id_seq'),
    name          varchar(250),
    descr         text,
    changed_by_fk integer,
    created_by_fk integer,
    CONSTRAINT annotation_layer_pkey PRIMARY KEY (id)
);
ALTER SEQUENCE annotation_layer_id_seq OWNED BY annotation_layer.id;

CREATE SEQUENCE annotation_id_seq AS integer;
CREATE TABLE annotation (
    created_on    timestamp,
    changed_on    timestamp,
    id            integer NOT NULL DEFAULT nextval('annotation_id_seq'),
    start_dttm    timestamp,
    end_dttm      timestamp,
    layer_id      integer,
    short_descr   varchar(500),
    long_descr    text,
    changed_by_fk integer,
    created_by_fk integer,
    json_metadata text,
    CONSTRAINT annotation_pkey PRIMARY KEY (id)
);
ALTER SEQUENCE annotation_id_seq OWNED BY annotation.id;
CREATE INDEX ti_dag_state ON annotation (layer_id, start_dttm, end_dttm);

CREATE SEQUENCE dynamic_plugin_id_seq AS integer;
CREATE TABLE dynamic_plugin (
    created_on    timestamp,
    changed_on    timestamp,
    id            integer NOT NULL DEFAULT nextval('dynamic_plugin_id_seq'),
    name          varchar(50) NOT NULL,
    key           varchar(50) NOT NULL,
    bundle_url    varchar(1000) NOT NULL,
    created_by_fk integer,
    changed_by_fk integer,
    CONSTRAINT dynamic_plugin_pkey PRIMARY KEY (id),
    CONSTRAINT dynamic_plugin_key_key UNIQUE (key),
    CONSTRAINT dynamic_plugin_name_key UNIQUE (name)
);
ALTER SEQUENCE dynamic_plugin_id_seq OWNED BY dynamic_plugin.id;

-- ==============================================================================
-- SQL Lab.
-- ==============================================================================

CREATE SEQUENCE query_id_seq AS integer;
CREATE TABLE query (
    id                      integer NOT NULL DEFAULT nextval('query_id_seq'),
    client_id               varchar(11) NOT NULL,
    database_id             integer NOT NULL,
    tmp_table_name          varchar(256),
    tab_name                varchar(256),
    sql_editor_id           varchar(256),
    user_id                 integer,
    status                  varchar(16),
    schema                  varchar(256),
    sql                     text,
    select_sql              text,
    executed_sql            text,
    "limit"                 integer,
    select_as_cta           boolean,
    select_as_cta_used      boolean,
    progress                integer,
    rows                    integer,
    error_message           text,
    start_time              numeric(20,6),
    changed_on              timestamp,
    end_time                numeric(20,6),
    results_key             varchar(64),
    start_running_time      numeric(20,6),
    end_result_backend_time numeric(20,6),
    tracking_url            text,
    extra_json              text,
    tmp_schema_name         varchar(256),
    ctas_method             varchar(16),
    limiting_factor         varchar(255) DEFAULT 'UNKNOWN',
    catalog                 varchar(256),
    CONSTRAINT query_pkey PRIMARY KEY (id),
    CONSTRAINT client_id UNIQUE (client_id)
);
ALTER SEQUENCE query_id_seq OWNED BY query.id;
CREATE INDEX ix_query_results_key ON query (results_key);
CREATE INDEX ix_sql_editor_id ON query (sql_editor_id);
CREATE INDEX ti_user_id_changed_on ON query (user_id, changed_on);

CREATE SEQUENCE saved_query_id_seq AS integer;
CREATE TABLE saved_query (
    created_on          timestamp,
    changed_on          timestamp,
    id                  integer NOT NULL DEFAULT nextval('saved_query_id_seq'),
    user_id             integer,
    db_id               integer,
    label               varchar(256),
    schema              varchar(128),
    sql                 text,
    description         text,
    changed_by_fk       integer,
    created_by_fk       integer,
    extra_json          text,
    last_run            timestamp,
    rows                integer,
    uuid                uuid,
    template_parameters text,
    catalog             varchar(256),
    CONSTRAINT saved_query_pkey PRIMARY KEY (id),
    CONSTRAINT uq_saved_query_uuid UNIQUE (uuid)
);
ALTER SEQUENCE saved_query_id_seq OWNED BY saved_query.id;

CREATE SEQUENCE tab_state_id_seq AS integer;
CREATE TABLE tab_state (
    created_on      timestamp,
    changed_on      timestamp,
    extra_json      text,
    id              integer NOT NULL DEFAULT nextval('tab_state_id_seq'),
    user_id         integer,
    label           varchar(256),
    active          boolean,
    database_id     integer,
    schema          varchar(256),
    sql             text,
    query_limit     integer,
    latest_query_id varchar(11),
    autorun         boolean NOT NULL,
    template_params text,
    created_by_fk   integer,
    changed_by_fk   integer,
    hide_left_bar   boolean DEFAULT false NOT NULL,
    saved_query_id  integer,
    catalog         varchar(256),
    CONSTRAINT tab_state_pkey PRIMARY KEY (id)
);
ALTER SEQUENCE tab_state_id_seq OWNED BY tab_state.id;
CREATE UNIQUE INDEX ix_tab_state_id ON tab_state (id);

CREATE SEQUENCE table_schema_id_seq AS integer;
CREATE TABLE table_schema (
    created_on    timestamp,
    changed_on    timestamp,
    extra_json    text,
    id            integer NOT NULL DEFAULT nextval('table_schema_id_seq'),
    tab_state_id  integer,
    database_id   integer NOT NULL,
    schema        varchar(256),
    "table"       varchar(256),
    description   text,
    expanded      boolean,
    created_by_fk integer,
    changed_by_fk integer,
    catalog       varchar(256),
    CONSTRAINT table_schema_pkey PRIMARY KEY (id)
);
ALTER SEQUENCE table_schema_id_seq OWNED BY table_schema.id;
CREATE UNIQUE INDEX ix_table_schema_id ON table_schema (id);

-- ==============================================================================
-- Alerts and reports.
-- ==============================================================================

CREATE SEQUENCE report_schedule_id_seq AS integer;
CREATE TABLE report_schedule (
    id                    integer NOT NULL DEFAULT nextval('report_schedule_id_seq'),
    type                  varchar(50) NOT NULL,
    name                  varchar(150) NOT NULL,
    description           text,
    context_markdown      text,
    active                boolean,
    crontab               varchar(1000) NOT NULL,
    sql                   text,
    chart_id              integer,
    dashboard_id          integer,
    database_id           integer,
    last_eval_dttm        timestamp,
    last_state            varchar(50),
    last_value            double precision,
    last_value_row_json   text,
    validator_type        varchar(100),
    validator_config_json text,
    log_retention         integer,
    grace_period          integer,
    created_on            timestamp,
    changed_on            timestamp,
    created_by_fk         integer,
    changed_by_fk         integer,
    working_timeout       integer,
    report_format         varchar(50) DEFAULT 'PNG',
    creation_method       varchar(255) DEFAULT 'alerts_reports',
    timezone              varchar(100) DEFAULT 'UTC' NOT NULL,
    extra_json            text NOT NULL,
    force_screenshot      boolean,
    custom_width          integer,
    custom_height         integer,
    email_subject         varchar(255),
    CONSTRAINT report_schedule_pkey PRIMARY KEY (id),
    CONSTRAINT uq_report_schedule_name_type UNIQUE (name, type)
);
ALTER SEQUENCE report_schedule_id_seq OWNED BY report_schedule.id;
CREATE INDEX ix_creation_method ON report_schedule (creation_method);
CREATE INDEX ix_report_schedule_active ON report_schedule (active);

CREATE SEQUENCE report_schedule_user_id_seq AS integer;
CREATE TABLE report_schedule_user (
    id                 integer NOT NULL DEFAULT nextval('report_schedule_user_id_seq'),
    user_id            integer NOT NULL,
    report_schedule_id integer NOT NULL,
    CONSTRAINT report_schedule_user_pkey PRIMARY KEY (id)
);
ALTER SEQUENCE report_schedule_user_id_seq OWNED BY report_schedule_user.id;

CREATE SEQUENCE report_recipient_id_seq AS integer;
CREATE TABLE report_recipient (
    id                    integer NOT NULL DEFAULT nextval('report_recipient_id_seq'),
    type                  varchar(50) NOT NULL,
    recipient_config_json text,
    report_schedule_id    integer NOT NULL,
    created_on            timestamp,
    changed_on            timestamp,
    created_by_fk         integer,
    changed_by_fk         integer,
    CONSTRAINT report_recipient_pkey PRIMARY KEY (id)
);
ALTER SEQUENCE report_recipient_id_seq OWNED BY report_recipient.id;
CREATE INDEX ix_report_recipient_report_schedule_id ON report_recipient (report_schedule_id);

CREATE SEQUENCE report_execution_log_id_seq AS integer;
CREATE TABLE report_execution_log (
    id                 integer NOT NULL DEFAULT nextval('report_execution_log_id_seq'),
    scheduled_dttm     timestamp NOT NULL,
    start_dttm         timestamp,
    end_dttm           timestamp,
    value              double precision,
    value_row_json     text,
    state              varchar(50) NOT NULL,
    error_message      text,
    report_schedule_id integer NOT NULL,
    uuid               uuid,
    CONSTRAINT report_execution_log_pkey PRIMARY KEY (id)
);
ALTER SEQUENCE report_execution_log_id_seq OWNED BY report_execution_log.id;
CREATE INDEX ix_report_execution_log_report_schedule_id ON report_execution_log (report_schedule_id);
CREATE INDEX ix_report_execution_log_start_dttm ON report_execution_log (start_dttm);

-- ==============================================================================
-- Tags, favourites, user attributes, logs, key-value stores and cache keys.
-- ==============================================================================

CREATE SEQUENCE tag_id_seq AS integer;
CREATE TABLE tag (
    created_on    timestamp,
    changed_on    timestamp,
    id            integer NOT NULL DEFAULT nextval('tag_id_seq'),
    name          varchar(250),
    type          varchar,
    created_by_fk integer,
    changed_by_fk integer,
    description   text,
    CONSTRAINT tag_pkey PRIMARY KEY (id),
    CONSTRAINT tag_name_key UNIQUE (name)
);
ALTER SEQUENCE tag_id_seq OWNED BY tag.id;

CREATE SEQUENCE tagged_object_id_seq AS integer;
CREATE TABLE tagged_object (
    created_on    timestamp,
    changed_on    timestamp,
    id            integer NOT NULL DEFAULT nextval('tagged_object_id_seq'),
    tag_id        integer,
    object_id     integer,
    object_type   varchar,
    created_by_fk integer,
    changed_by_fk integer,
    CONSTRAINT tagged_object_pkey PRIMARY KEY (id),
    CONSTRAINT uix_tagged_object UNIQUE (tag_id, object_id, object_type)
);
ALTER SEQUENCE tagged_object_id_seq OWNED BY tagged_object.id;
CREATE INDEX ix_tagged_object_object_id ON tagged_object (object_id);

CREATE TABLE user_favorite_tag (
    user_id integer NOT NULL,
    tag_id  integer NOT NULL
);

CREATE SEQUENCE favstar_id_seq AS integer;
CREATE TABLE favstar (
    id         integer NOT NULL DEFAULT nextval('favstar_id_seq'),
    user_id    integer,
    class_name varchar(50),
    obj_id     integer,
    dttm       timestamp,
    uuid       uuid,
    CONSTRAINT favstar_pkey PRIMARY KEY (id)
);
ALTER SEQUENCE favstar_id_seq OWNED BY favstar.id;

CREATE SEQUENCE user_attribute_id_seq AS integer;
CREATE TABLE user_attribute (
    created_on           timestamp,
    changed_on           timestamp,
    id                   integer NOT NULL DEFAULT nextval('user_attribute_id_seq'),
    user_id              integer,
    welcome_dashboard_id integer,
    created_by_fk        integer,
    changed_by_fk        integer,
    avatar_url           varchar(100),
    CONSTRAINT user_attribute_pkey PRIMARY KEY (id)
);
ALTER SEQUENCE user_attribute_id_seq OWNED BY user_attribute.id;

CREATE SEQUENCE logs_id_seq AS integer;
CREATE TABLE logs (
    id           integer NOT NULL DEFAULT nextval('logs_id_seq'),
    action       varchar(512),
    user_id      integer,
    json         text,
    dttm         timestamp,
    dashboard_id integer,
    slice_id     integer,
    duration_ms  integer,
    referrer     varchar(1024),
    CONSTRAINT logs_pkey PRIMARY KEY (id)
);
ALTER SEQUENCE logs_id_seq OWNED BY logs.id;
CREATE INDEX ix_logs_user_id_dttm ON logs (user_id, dttm);

CREATE SEQUENCE key_value_id_seq AS integer;
CREATE TABLE key_value (
    id            integer NOT NULL DEFAULT nextval('key_value_id_seq'),
    resource      varchar(32) NOT NULL,
    value         bytea NOT NULL,
    uuid          uuid,
    created_on    timestamp,
    created_by_fk integer,
    changed_on    timestamp,
    changed_by_fk integer,
    expires_on    timestamp,
    CONSTRAINT key_value_pkey PRIMARY KEY (id)
);
ALTER SEQUENCE key_value_id_seq OWNED BY key_value.id;
CREATE INDEX ix_key_value_expires_on ON key_value (expires_on);
CREATE UNIQUE INDEX ix_key_value_uuid ON key_value (uuid);

CREATE SEQUENCE keyvalue_id_seq AS integer;
CREATE TABLE keyvalue (
    id    integer NOT NULL DEFAULT nextval('keyvalue_id_seq'),
    value text NOT NULL,
    CONSTRAINT keyvalue_pkey PRIMARY KEY (id)
);
ALTER SEQUENCE keyvalue_id_seq OWNED BY keyvalue.id;

CREATE SEQUENCE cache_keys_id_seq AS integer;
CREATE TABLE cache_keys (
    id             integer NOT NULL DEFAULT nextval('cache_keys_id_seq'),
    cache_key      varchar(256) NOT NULL,
    cache_timeout  integer,
    datasource_uid varchar(64) NOT NULL,
    created_on     timestamp,
    CONSTRAINT cache_keys_pkey PRIMARY KEY (id)
);
ALTER SEQUENCE cache_keys_id_seq OWNED BY cache_keys.id;
CREATE INDEX ix_cache_keys_datasource_uid ON cache_keys (datasource_uid);

-- ==============================================================================
-- Alembic bookkeeping.
-- ==============================================================================

CREATE TABLE alembic_version (
    version_num varchar(32) NOT NULL,
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- ==============================================================================
-- Foreign keys, added once every table exists (some tables reference each other).
-- ==============================================================================

ALTER TABLE ab_permission_view ADD CONSTRAINT ab_permission_view_permission_id_fkey
    FOREIGN KEY (permission_id) REFERENCES ab_permission(id);
ALTER TABLE ab_permission_view ADD CONSTRAINT ab_permission_view_view_menu_id_fkey
    FOREIGN KEY (view_menu_id) REFERENCES ab_view_menu(id);

ALTER TABLE ab_permission_view_role ADD CONSTRAINT ab_permission_view_role_permission_view_id_fkey
    FOREIGN KEY (permission_view_id) REFERENCES ab_permission_view(id) ON DELETE CASCADE;
ALTER TABLE ab_permission_view_role ADD CONSTRAINT ab_permission_view_role_role_id_fkey
    FOREIGN KEY (role_id) REFERENCES ab_role(id) ON DELETE CASCADE;

ALTER TABLE ab_user ADD CONSTRAINT ab_user_changed_by_fk_fkey
    FOREIGN KEY (changed_by_fk) REFERENCES ab_user(id);
ALTER TABLE ab_user ADD CONSTRAINT ab_user_created_by_fk_fkey
    FOREIGN KEY (created_by_fk) REFERENCES ab_user(id);

ALTER TABLE ab_user_role ADD CONSTRAINT ab_user_role_role_id_fkey
    FOREIGN KEY (role_id) REFERENCES ab_role(id) ON DELETE CASCADE;
ALTER TABLE ab_user_role ADD CONSTRAINT ab_user_role_user_id_fkey
    FOREIGN KEY (user_id) REFERENCES ab_user(id) ON DELETE CASCADE;

ALTER TABLE ab_group_role ADD CONSTRAINT ab_group_role_group_id_fkey
    FOREIGN KEY (group_id) REFERENCES ab_group(id) ON DELETE CASCADE;
ALTER TABLE ab_group_role ADD CONSTRAINT ab_group_role_role_id_fkey
    FOREIGN KEY (role_id) REFERENCES ab_role(id) ON DELETE CASCADE;

ALTER TABLE ab_user_group ADD CONSTRAINT ab_user_group_group_id_fkey
    FOREIGN KEY (group_id) REFERENCES ab_group(id) ON DELETE CASCADE;
ALTER TABLE ab_user_group ADD CONSTRAINT ab_user_group_user_id_fkey
    FOREIGN KEY (user_id) REFERENCES ab_user(id) ON DELETE CASCADE;

ALTER TABLE dbs ADD CONSTRAINT dbs_changed_by_fk_fkey
    FOREIGN KEY (changed_by_fk) REFERENCES ab_user(id);
ALTER TABLE dbs ADD CONSTRAINT dbs_created_by_fk_fkey
    FOREIGN KEY (created_by_fk) REFERENCES ab_user(id);

ALTER TABLE ssh_tunnels ADD CONSTRAINT ssh_tunnels_database_id_fkey
    FOREIGN KEY (database_id) REFERENCES dbs(id);

ALTER TABLE database_user_oauth2_tokens ADD CONSTRAINT database_user_oauth2_tokens_changed_by_fk_fkey
    FOREIGN KEY (changed_by_fk) REFERENCES ab_user(id);
ALTER TABLE database_user_oauth2_tokens ADD CONSTRAINT database_user_oauth2_tokens_created_by_fk_fkey
    FOREIGN KEY (created_by_fk) REFERENCES ab_user(id);
ALTER TABLE database_user_oauth2_tokens ADD CONSTRAINT database_user_oauth2_tokens_database_id_fkey
    FOREIGN KEY (database_id) REFERENCES dbs(id) ON DELETE CASCADE;
ALTER TABLE database_user_oauth2_tokens ADD CONSTRAINT database_user_oauth2_tokens_user_id_fkey
    FOREIGN KEY (user_id) REFERENCES ab_user(id) ON DELETE CASCADE;

ALTER TABLE tables ADD CONSTRAINT tables_changed_by_fk_fkey
    FOREIGN KEY (changed_by_fk) REFERENCES ab_user(id);
ALTER TABLE tables ADD CONSTRAINT tables_created_by_fk_fkey
    FOREIGN KEY (created_by_fk) REFERENCES ab_user(id);
ALTER TABLE tables ADD CONSTRAINT tables_database_id_fkey
    FOREIGN KEY (database_id) REFERENCES dbs(id);

ALTER TABLE table_columns ADD CONSTRAINT fk_table_columns_table_id_tables
    FOREIGN KEY (table_id) REFERENCES tables(id) ON DELETE CASCADE;
ALTER TABLE table_columns ADD CONSTRAINT table_columns_changed_by_fk_fkey
    FOREIGN KEY (changed_by_fk) REFERENCES ab_user(id);
ALTER TABLE table_columns ADD CONSTRAINT table_columns_created_by_fk_fkey
    FOREIGN KEY (created_by_fk) REFERENCES ab_user(id);

ALTER TABLE sql_metrics ADD CONSTRAINT fk_sql_metrics_table_id_tables
    FOREIGN KEY (table_id) REFERENCES tables(id) ON DELETE CASCADE;
ALTER TABLE sql_metrics ADD CONSTRAINT sql_metrics_changed_by_fk_fkey
    FOREIGN KEY (changed_by_fk) REFERENCES ab_user(id);
ALTER TABLE sql_metrics ADD CONSTRAINT sql_metrics_created_by_fk_fkey
    FOREIGN KEY (created_by_fk) REFERENCES ab_user(id);

ALTER TABLE sqlatable_user ADD CONSTRAINT fk_sqlatable_user_table_id_tables
    FOREIGN KEY (table_id) REFERENCES tables(id) ON DELETE CASCADE;
ALTER TABLE sqlatable_user ADD CONSTRAINT fk_sqlatable_user_user_id_ab_user
    FOREIGN KEY (user_id) REFERENCES ab_user(id) ON DELETE CASCADE;

ALTER TABLE row_level_security_filters ADD CONSTRAINT row_level_security_filters_changed_by_fk_fkey
    FOREIGN KEY (changed_by_fk) REFERENCES ab_user(id);
ALTER TABLE row_level_security_filters ADD CONSTRAINT row_level_security_filters_created_by_fk_fkey
    FOREIGN KEY (created_by_fk) REFERENCES ab_user(id);

ALTER TABLE rls_filter_roles ADD CONSTRAINT rls_filter_roles_rls_filter_id_fkey
    FOREIGN KEY (rls_filter_id) REFERENCES row_level_security_filters(id);
ALTER TABLE rls_filter_roles ADD CONSTRAINT rls_filter_roles_role_id_fkey
    FOREIGN KEY (role_id) REFERENCES ab_role(id);

ALTER TABLE rls_filter_tables ADD CONSTRAINT rls_filter_tables_rls_filter_id_fkey
    FOREIGN KEY (rls_filter_id) REFERENCES row_level_security_filters(id);
ALTER TABLE rls_filter_tables ADD CONSTRAINT rls_filter_tables_table_id_fkey
    FOREIGN KEY (table_id) REFERENCES tables(id);

ALTER TABLE themes ADD CONSTRAINT fk_themes_changed_by_fk_ab_user
    FOREIGN KEY (changed_by_fk) REFERENCES ab_user(id);
ALTER TABLE themes ADD CONSTRAINT fk_themes_created_by_fk_ab_user
    FOREIGN KEY (created_by_fk) REFERENCES ab_user(id);

ALTER TABLE css_templates ADD CONSTRAINT css_templates_changed_by_fk_fkey
    FOREIGN KEY (changed_by_fk) REFERENCES ab_user(id);
ALTER TABLE css_templates ADD CONSTRAINT css_templates_created_by_fk_fkey
    FOREIGN KEY (created_by_fk) REFERENCES ab_user(id);

ALTER TABLE slices ADD CONSTRAINT slices_changed_by_fk_fkey
    FOREIGN KEY (changed_by_fk) REFERENCES ab_user(id);
ALTER TABLE slices ADD CONSTRAINT slices_created_by_fk_fkey
    FOREIGN KEY (created_by_fk) REFERENCES ab_user(id);
ALTER TABLE slices ADD CONSTRAINT slices_last_saved_by_fk
    FOREIGN KEY (last_saved_by_fk) REFERENCES ab_user(id);
ALTER TABLE slices ADD CONSTRAINT slices_table_id_fkey
    FOREIGN KEY (table_id) REFERENCES tables(id);

ALTER TABLE slice_user ADD CONSTRAINT fk_slice_user_slice_id_slices
    FOREIGN KEY (slice_id) REFERENCES slices(id) ON DELETE CASCADE;
ALTER TABLE slice_user ADD CONSTRAINT fk_slice_user_user_id_ab_user
    FOREIGN KEY (user_id) REFERENCES ab_user(id) ON DELETE CASCADE;

ALTER TABLE dashboards ADD CONSTRAINT dashboards_changed_by_fk_fkey
    FOREIGN KEY (changed_by_fk) REFERENCES ab_user(id);
ALTER TABLE dashboards ADD CONSTRAINT dashboards_created_by_fk_fkey
    FOREIGN KEY (created_by_fk) REFERENCES ab_user(id);
ALTER TABLE dashboards ADD CONSTRAINT fk_dashboards_theme_id_themes
    FOREIGN KEY (theme_id) REFERENCES themes(id);

ALTER TABLE dashboard_slices ADD CONSTRAINT fk_dashboard_slices_dashboard_id_dashboards
    FOREIGN KEY (dashboard_id) REFERENCES dashboards(id) ON DELETE CASCADE;
ALTER TABLE dashboard_slices ADD CONSTRAINT fk_dashboard_slices_slice_id_slices
    FOREIGN KEY (slice_id) REFERENCES slices(id) ON DELETE CASCADE;

ALTER TABLE dashboard_user ADD CONSTRAINT fk_dashboard_user_dashboard_id_dashboards
    FOREIGN KEY (dashboard_id) REFERENCES dashboards(id) ON DELETE CASCADE;
ALTER TABLE dashboard_user ADD CONSTRAINT fk_dashboard_user_user_id_ab_user
    FOREIGN KEY (user_id) REFERENCES ab_user(id) ON DELETE CASCADE;

ALTER TABLE dashboard_roles ADD CONSTRAINT fk_dashboard_roles_dashboard_id_dashboards
    FOREIGN KEY (dashboard_id) REFERENCES dashboards(id) ON DELETE CASCADE;
ALTER TABLE dashboard_roles ADD CONSTRAINT fk_dashboard_roles_role_id_ab_role
    FOREIGN KEY (role_id) REFERENCES ab_role(id) ON DELETE CASCADE;

ALTER TABLE embedded_dashboards ADD CONSTRAINT fk_embedded_dashboards_dashboard_id_dashboards
    FOREIGN KEY (dashboard_id) REFERENCES dashboards(id) ON DELETE CASCADE;

ALTER TABLE annotation_layer ADD CONSTRAINT annotation_layer_changed_by_fk_fkey
    FOREIGN KEY (changed_by_fk) REFERENCES ab_user(id);
ALTER TABLE annotation_layer ADD CONSTRAINT annotation_layer_created_by_fk_fkey
    FOREIGN KEY (created_by_fk) REFERENCES ab_user(id);

ALTER TABLE annotation ADD CONSTRAINT annotation_changed_by_fk_fkey
    FOREIGN KEY (changed_by_fk) REFERENCES ab_user(id);
ALTER TABLE annotation ADD CONSTRAINT annotation_created_by_fk_fkey
    FOREIGN KEY (created_by_fk) REFERENCES ab_user(id);
ALTER TABLE annotation ADD CONSTRAINT annotation_layer_id_fkey
    FOREIGN KEY (layer_id) REFERENCES annotation_layer(id);

ALTER TABLE dynamic_plugin ADD CONSTRAINT dynamic_plugin_changed_by_fk_fkey
    FOREIGN KEY (changed_by_fk) REFERENCES ab_user(id);
ALTER TABLE dynamic_plugin ADD CONSTRAINT dynamic_plugin_created_by_fk_fkey
    FOREIGN KEY (created_by_fk) REFERENCES ab_user(id);

ALTER TABLE query ADD CONSTRAINT query_database_id_fkey
    FOREIGN KEY (database_id) REFERENCES dbs(id);
ALTER TABLE query ADD CONSTRAINT query_user_id_fkey
    FOREIGN KEY (user_id) REFERENCES ab_user(id);

ALTER TABLE saved_query ADD CONSTRAINT saved_query_changed_by_fk_fkey
    FOREIGN KEY (changed_by_fk) REFERENCES ab_user(id);
ALTER TABLE saved_query ADD CONSTRAINT saved_query_created_by_fk_fkey
    FOREIGN KEY (created_by_fk) REFERENCES ab_user(id);
ALTER TABLE saved_query ADD CONSTRAINT saved_query_db_id_fkey
    FOREIGN KEY (db_id) REFERENCES dbs(id);
ALTER TABLE saved_query ADD CONSTRAINT saved_query_user_id_fkey
    FOREIGN KEY (user_id) REFERENCES ab_user(id);

ALTER TABLE tab_state ADD CONSTRAINT saved_query_id
    FOREIGN KEY (saved_query_id) REFERENCES saved_query(id) ON DELETE SET NULL;
ALTER TABLE tab_state ADD CONSTRAINT tab_state_changed_by_fk_fkey
    FOREIGN KEY (changed_by_fk) REFERENCES ab_user(id);
ALTER TABLE tab_state ADD CONSTRAINT tab_state_created_by_fk_fkey
    FOREIGN KEY (created_by_fk) REFERENCES ab_user(id);
ALTER TABLE tab_state ADD CONSTRAINT tab_state_database_id_fkey
    FOREIGN KEY (database_id) REFERENCES dbs(id) ON DELETE CASCADE;
ALTER TABLE tab_state ADD CONSTRAINT tab_state_latest_query_id_fkey
    FOREIGN KEY (latest_query_id) REFERENCES query(client_id) ON DELETE SET NULL;
ALTER TABLE tab_state ADD CONSTRAINT tab_state_user_id_fkey
    FOREIGN KEY (user_id) REFERENCES ab_user(id);

ALTER TABLE table_schema ADD CONSTRAINT table_schema_changed_by_fk_fkey
    FOREIGN KEY (changed_by_fk) REFERENCES ab_user(id);
ALTER TABLE table_schema ADD CONSTRAINT table_schema_created_by_fk_fkey
    FOREIGN KEY (created_by_fk) REFERENCES ab_user(id);
ALTER TABLE table_schema ADD CONSTRAINT table_schema_database_id_fkey
    FOREIGN KEY (database_id) REFERENCES dbs(id) ON DELETE CASCADE;
ALTER TABLE table_schema ADD CONSTRAINT table_schema_tab_state_id_fkey
    FOREIGN KEY (tab_state_id) REFERENCES tab_state(id) ON DELETE CASCADE;

ALTER TABLE report_schedule ADD CONSTRAINT report_schedule_changed_by_fk_fkey
    FOREIGN KEY (changed_by_fk) REFERENCES ab_user(id);
ALTER TABLE report_schedule ADD CONSTRAINT report_schedule_chart_id_fkey
    FOREIGN KEY (chart_id) REFERENCES slices(id);
ALTER TABLE report_schedule ADD CONSTRAINT report_schedule_created_by_fk_fkey
    FOREIGN KEY (created_by_fk) REFERENCES ab_user(id);
ALTER TABLE report_schedule ADD CONSTRAINT report_schedule_dashboard_id_fkey
    FOREIGN KEY (dashboard_id) REFERENCES dashboards(id);
ALTER TABLE report_schedule ADD CONSTRAINT report_schedule_database_id_fkey
    FOREIGN KEY (database_id) REFERENCES dbs(id);

ALTER TABLE report_schedule_user ADD CONSTRAINT fk_report_schedule_user_report_schedule_id_report_schedule
    FOREIGN KEY (report_schedule_id) REFERENCES report_schedule(id) ON DELETE CASCADE;
ALTER TABLE report_schedule_user ADD CONSTRAINT fk_report_schedule_user_user_id_ab_user
    FOREIGN KEY (user_id) REFERENCES ab_user(id) ON DELETE CASCADE;

ALTER TABLE report_recipient ADD CONSTRAINT report_recipient_changed_by_fk_fkey
    FOREIGN KEY (changed_by_fk) REFERENCES ab_user(id);
ALTER TABLE report_recipient ADD CONSTRAINT report_recipient_created_by_fk_fkey
    FOREIGN KEY (created_by_fk) REFERENCES ab_user(id);
ALTER TABLE report_recipient ADD CONSTRAINT report_recipient_report_schedule_id_fkey
    FOREIGN KEY (report_schedule_id) REFERENCES report_schedule(id);

ALTER TABLE report_execution_log ADD CONSTRAINT report_execution_log_report_schedule_id_fkey
    FOREIGN KEY (report_schedule_id) REFERENCES report_schedule(id);

ALTER TABLE tag ADD CONSTRAINT tag_changed_by_fk_fkey
    FOREIGN KEY (changed_by_fk) REFERENCES ab_user(id);
ALTER TABLE tag ADD CONSTRAINT tag_created_by_fk_fkey
    FOREIGN KEY (created_by_fk) REFERENCES ab_user(id);

ALTER TABLE tagged_object ADD CONSTRAINT tagged_object_changed_by_fk_fkey
    FOREIGN KEY (changed_by_fk) REFERENCES ab_user(id);
ALTER TABLE tagged_object ADD CONSTRAINT tagged_object_created_by_fk_fkey
    FOREIGN KEY (created_by_fk) REFERENCES ab_user(id);
ALTER TABLE tagged_object ADD CONSTRAINT tagged_object_tag_id_fkey
    FOREIGN KEY (tag_id) REFERENCES tag(id);

ALTER TABLE user_favorite_tag ADD CONSTRAINT user_favorite_tag_tag_id_fkey
    FOREIGN KEY (tag_id) REFERENCES tag(id);
ALTER TABLE user_favorite_tag ADD CONSTRAINT user_favorite_tag_user_id_fkey
    FOREIGN KEY (user_id) REFERENCES ab_user(id);

ALTER TABLE favstar ADD CONSTRAINT favstar_user_id_fkey
    FOREIGN KEY (user_id) REFERENCES ab_user(id);

ALTER TABLE user_attribute ADD CONSTRAINT user_attribute_changed_by_fk_fkey
    FOREIGN KEY (changed_by_fk) REFERENCES ab_user(id);
ALTER TABLE user_attribute ADD CONSTRAINT user_attribute_created_by_fk_fkey
    FOREIGN KEY (created_by_fk) REFERENCES ab_user(id);
ALTER TABLE user_attribute ADD CONSTRAINT user_attribute_user_id_fkey
    FOREIGN KEY (user_id) REFERENCES ab_user(id);
ALTER TABLE user_attribute ADD CONSTRAINT user_attribute_welcome_dashboard_id_fkey
    FOREIGN KEY (welcome_dashboard_id) REFERENCES dashboards(id);

ALTER TABLE logs ADD CONSTRAINT logs_user_id_fkey
    FOREIGN KEY (user_id) REFERENCES ab_user(id);

ALTER TABLE key_value ADD CONSTRAINT key_value_changed_by_fk_fkey
    FOREIGN KEY (changed_by_fk) REFERENCES ab_user(id);
ALTER TABLE key_value ADD CONSTRAINT key_value_created_by_fk_fkey
    FOREIGN KEY (created_by_fk) REFERENCES ab_user(id);

-- ==============================================================================
-- Stamp: the database is now at Superset 6.0.0's alembic head.
-- ==============================================================================

INSERT INTO alembic_version (version_num) VALUES ('c233f5365c9e');
