/**
 * The schema, as ordered migrations in the SQL subset SQLite and PostgreSQL share. Never edit a
 * released migration; add a new one. Every table of tenant data carries account_id (and region_id
 * for regional resources): there is no global state.
 */
import type { Migration } from './sql-db.js';

/**
 * The tables whose changes `dataVersion` tracks on PostgreSQL: every control-plane table (not the flow
 * records, written in bulk and never cached, nor bookkeeping). A table added later that a cache reads
 * needs its triggers in a new migration; PostgresDb.dataVersion refuses an untracked table.
 */
export const VERSIONED_TABLES = [
  'accounts',
  'access_keys',
  'resource_groups',
  'account_services',
  'vpcs',
  'vswitches',
  'security_groups',
  'network_interfaces',
  'log_projects',
  'logstores',
  'flow_logs',
  'tags',
  'exporter_bindings',
  'flow_log_delivery',
];

/** Statement-level triggers (one per event: transition tables allow one event each) noting a change. */
function changeTriggers(table: string): string[] {
  return (['INSERT', 'UPDATE', 'DELETE'] as const).map(
    (event) =>
      `CREATE TRIGGER ${table}_${event.toLowerCase()}_version AFTER ${event} ON ${table}
       REFERENCING ${event === 'DELETE' ? 'OLD' : 'NEW'} TABLE AS changed
       FOR EACH STATEMENT EXECUTE FUNCTION vpcflow_note_change()`,
  );
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'identity',
    statements: [
      `CREATE TABLE accounts (
        account_id TEXT PRIMARY KEY,
        created_at BIGINT NOT NULL
      )`,
      `CREATE TABLE access_keys (
        access_key_id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(account_id),
        secret TEXT NOT NULL,
        status TEXT NOT NULL,
        principal_type TEXT NOT NULL,
        created_at BIGINT NOT NULL
      )`,
      `CREATE TABLE resource_groups (
        account_id TEXT NOT NULL REFERENCES accounts(account_id),
        resource_group_id TEXT NOT NULL,
        name TEXT NOT NULL,
        display_name TEXT NOT NULL,
        is_default INTEGER NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (account_id, resource_group_id)
      )`,
    ],
  },
  {
    version: 2,
    name: 'network resources',
    statements: [
      `CREATE TABLE vpcs (
        vpc_id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region_id TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT NOT NULL,
        cidr_block TEXT NOT NULL,
        status TEXT NOT NULL,
        resource_group_id TEXT NOT NULL,
        is_default INTEGER NOT NULL,
        created_at BIGINT NOT NULL
      )`,
      'CREATE INDEX vpcs_scope ON vpcs (account_id, region_id, created_at)',
      `CREATE TABLE vswitches (
        vswitch_id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region_id TEXT NOT NULL,
        vpc_id TEXT NOT NULL REFERENCES vpcs(vpc_id),
        zone_id TEXT NOT NULL,
        cidr_block TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT NOT NULL,
        status TEXT NOT NULL,
        resource_group_id TEXT NOT NULL,
        created_at BIGINT NOT NULL
      )`,
      'CREATE INDEX vswitches_vpc ON vswitches (vpc_id)',
      'CREATE INDEX vswitches_scope ON vswitches (account_id, region_id, created_at)',
      `CREATE TABLE security_groups (
        security_group_id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region_id TEXT NOT NULL,
        vpc_id TEXT NOT NULL REFERENCES vpcs(vpc_id),
        name TEXT NOT NULL,
        description TEXT NOT NULL,
        resource_group_id TEXT NOT NULL,
        created_at BIGINT NOT NULL
      )`,
      'CREATE INDEX security_groups_scope ON security_groups (account_id, region_id, created_at)',
      `CREATE TABLE network_interfaces (
        network_interface_id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region_id TEXT NOT NULL,
        vpc_id TEXT NOT NULL REFERENCES vpcs(vpc_id),
        vswitch_id TEXT NOT NULL REFERENCES vswitches(vswitch_id),
        zone_id TEXT NOT NULL,
        security_group_ids TEXT NOT NULL,
        primary_ip TEXT NOT NULL,
        mac_address TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT NOT NULL,
        status TEXT NOT NULL,
        type TEXT NOT NULL,
        instance_id TEXT NOT NULL,
        resource_group_id TEXT NOT NULL,
        created_at BIGINT NOT NULL
      )`,
      'CREATE INDEX network_interfaces_vswitch ON network_interfaces (vswitch_id)',
      'CREATE INDEX network_interfaces_vpc ON network_interfaces (vpc_id)',
      'CREATE INDEX network_interfaces_scope ON network_interfaces (account_id, region_id, created_at)',
      'CREATE UNIQUE INDEX network_interfaces_ip ON network_interfaces (vpc_id, primary_ip)',
    ],
  },
  {
    version: 3,
    name: 'log projects and logstores',
    statements: [
      // SLS project names are unique per region across accounts: they are host names.
      `CREATE TABLE log_projects (
        region_id TEXT NOT NULL,
        project_name TEXT NOT NULL,
        account_id TEXT NOT NULL,
        description TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (region_id, project_name)
      )`,
      'CREATE INDEX log_projects_account ON log_projects (account_id, region_id)',
      `CREATE TABLE logstores (
        region_id TEXT NOT NULL,
        project_name TEXT NOT NULL,
        logstore_name TEXT NOT NULL,
        ttl_days INTEGER NOT NULL,
        shard_count INTEGER NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (region_id, project_name, logstore_name)
      )`,
    ],
  },
  {
    version: 4,
    name: 'flow logs and tags',
    statements: [
      `CREATE TABLE flow_logs (
        flow_log_id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region_id TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT NOT NULL,
        resource_type TEXT NOT NULL,
        resource_id TEXT NOT NULL,
        vpc_id TEXT NOT NULL,
        traffic_type TEXT NOT NULL,
        project_name TEXT NOT NULL,
        logstore_name TEXT NOT NULL,
        status TEXT NOT NULL,
        pending_status TEXT,
        settles_at BIGINT,
        aggregation_interval INTEGER NOT NULL,
        traffic_path TEXT NOT NULL,
        ip_version TEXT NOT NULL,
        log_format TEXT NOT NULL,
        resource_group_id TEXT NOT NULL,
        business_status TEXT NOT NULL,
        service_type TEXT NOT NULL,
        created_at BIGINT NOT NULL
      )`,
      // Covers the newest-first page order and the common equality filters, so filtered counts and
      // pages scan the index alone, without reading table rows.
      `CREATE INDEX flow_logs_scope ON flow_logs (account_id, region_id, created_at, flow_log_id, status,
        traffic_type, resource_type, resource_group_id, project_name, logstore_name)`,
      'CREATE INDEX flow_logs_name ON flow_logs (account_id, region_id, name)',
      'CREATE INDEX flow_logs_resource ON flow_logs (resource_id)',
      'CREATE INDEX flow_logs_vpc ON flow_logs (vpc_id)',
      'CREATE INDEX flow_logs_settle ON flow_logs (settles_at)',
      `CREATE TABLE tags (
        resource_id TEXT NOT NULL,
        tag_key TEXT NOT NULL,
        tag_value TEXT NOT NULL,
        account_id TEXT NOT NULL,
        region_id TEXT NOT NULL,
        resource_type TEXT NOT NULL,
        PRIMARY KEY (resource_id, tag_key)
      )`,
      'CREATE INDEX tags_lookup ON tags (account_id, region_id, resource_type, tag_key, tag_value)',
    ],
  },
  {
    // Numbered apart from the resource migrations so parallel work cannot collide on a number.
    version: 10,
    name: 'account services',
    statements: [
      `CREATE TABLE account_services (
        account_id TEXT NOT NULL,
        service TEXT NOT NULL,
        enabled_at BIGINT NOT NULL,
        PRIMARY KEY (account_id, service)
      )`,
    ],
  },
  {
    version: 11,
    name: 'log records',
    statements: [
      // One row per delivered record, one typed column per flow-log field
      // (https://www.alibabacloud.com/help/en/sls/vpc);
      // SLS reads every value back as a string. Indexed for time-range and per-ENI queries.
      `CREATE TABLE log_records (
        region_id TEXT NOT NULL,
        project_name TEXT NOT NULL,
        logstore_name TEXT NOT NULL,
        flow_log_id TEXT NOT NULL,
        time BIGINT NOT NULL,
        topic TEXT NOT NULL,
        source TEXT NOT NULL,
        version BIGINT,
        vswitch_id TEXT,
        vm_id TEXT,
        vpc_id TEXT,
        account_id TEXT,
        eni_id TEXT,
        region TEXT,
        srcaddr TEXT,
        srcport BIGINT,
        dstaddr TEXT,
        dstport BIGINT,
        protocol BIGINT,
        direction TEXT,
        packets BIGINT,
        bytes BIGINT,
        start BIGINT,
        "end" BIGINT,
        log_status TEXT,
        action TEXT,
        tcp_flags BIGINT
      )`,
      'CREATE INDEX log_records_time ON log_records (region_id, project_name, logstore_name, time)',
      'CREATE INDEX log_records_eni ON log_records (region_id, project_name, logstore_name, eni_id, time)',
    ],
  },
  {
    version: 12,
    name: 'data plane: exporter bindings, delivery state, collector templates',
    statements: [
      // Which VPC an exporter watches (private IPs repeat across VPCs). port -1 / observation_domain_id -1
      // match any port / domain of that address.
      `CREATE TABLE exporter_bindings (
        address TEXT NOT NULL,
        port INTEGER NOT NULL,
        observation_domain_id BIGINT NOT NULL,
        account_id TEXT NOT NULL,
        region_id TEXT NOT NULL,
        vpc_id TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (address, port, observation_domain_id)
      )`,
      // The last delivery of each flow log (FlowLogDeliverStatus) and how far its windows were closed.
      `CREATE TABLE flow_log_delivery (
        flow_log_id TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        error_message TEXT NOT NULL,
        updated_at BIGINT NOT NULL,
        closed_through BIGINT NOT NULL
      )`,
      // Decoder templates, so data arriving right after a restart decodes before the exporter resends them.
      `CREATE TABLE collector_templates (
        template_key TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        received_at BIGINT NOT NULL
      )`,
    ],
  },
  {
    version: 13,
    name: 'bootstrap access keys',
    // The key made from VPCFLOW_ACCESS_KEY_* at start: replaced, not kept, when the variables change.
    statements: ['ALTER TABLE access_keys ADD COLUMN is_bootstrap INTEGER NOT NULL DEFAULT 0'],
  },
  {
    version: 14,
    name: 'client tokens',
    statements: [
      // The first answer to each ClientToken, per account and operation (`Vpc.CreateVpc`), with a
      // fingerprint of the request's parameters so a changed retry is refused. Expired rows are
      // ignored on read and swept on write.
      `CREATE TABLE client_tokens (
        account_id TEXT NOT NULL,
        action TEXT NOT NULL,
        client_token TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        answer TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        PRIMARY KEY (account_id, action, client_token)
      )`,
      'CREATE INDEX client_tokens_expiry ON client_tokens (expires_at)',
    ],
  },
  {
    // Numbered 17-19 for the identity work (14-16 belong to other parallel work).
    version: 17,
    name: 'RAM users, policies, roles and attachments',
    statements: [
      `CREATE TABLE ram_users (
        user_id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(account_id),
        user_name TEXT NOT NULL,
        display_name TEXT NOT NULL,
        mobile_phone TEXT NOT NULL,
        email TEXT NOT NULL,
        comments TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
      'CREATE UNIQUE INDEX ram_users_name ON ram_users (account_id, user_name)',
      // A RAM user's AccessKeys live in access_keys with principal_type 'ram-user' and this column set.
      'ALTER TABLE access_keys ADD COLUMN user_id TEXT',
      'CREATE INDEX access_keys_user ON access_keys (user_id)',
      `CREATE TABLE ram_policies (
        account_id TEXT NOT NULL REFERENCES accounts(account_id),
        policy_name TEXT NOT NULL,
        description TEXT NOT NULL,
        default_version TEXT NOT NULL,
        next_version INTEGER NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (account_id, policy_name)
      )`,
      `CREATE TABLE ram_policy_versions (
        account_id TEXT NOT NULL,
        policy_name TEXT NOT NULL,
        version_id TEXT NOT NULL,
        document TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (account_id, policy_name, version_id)
      )`,
      `CREATE TABLE ram_roles (
        role_id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(account_id),
        role_name TEXT NOT NULL,
        description TEXT NOT NULL,
        trust_policy TEXT NOT NULL,
        max_session_duration BIGINT NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
      'CREATE UNIQUE INDEX ram_roles_name ON ram_roles (account_id, role_name)',
      // principal_kind 'User' | 'Role'; principal_id is the user or role ID (stable across renames).
      `CREATE TABLE ram_attachments (
        account_id TEXT NOT NULL,
        principal_kind TEXT NOT NULL,
        principal_id TEXT NOT NULL,
        policy_type TEXT NOT NULL,
        policy_name TEXT NOT NULL,
        attached_at BIGINT NOT NULL,
        PRIMARY KEY (principal_kind, principal_id, policy_type, policy_name)
      )`,
      'CREATE INDEX ram_attachments_policy ON ram_attachments (account_id, policy_type, policy_name)',
    ],
  },
  {
    version: 18,
    name: 'STS sessions',
    statements: [
      // One row per AssumeRole: the temporary AccessKey, the token's hash, and what it acts as.
      `CREATE TABLE sts_sessions (
        access_key_id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        secret TEXT NOT NULL,
        token_hash TEXT NOT NULL,
        role_id TEXT NOT NULL,
        role_name TEXT NOT NULL,
        session_name TEXT NOT NULL,
        session_policy TEXT,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL
      )`,
      'CREATE INDEX sts_sessions_expiry ON sts_sessions (expires_at)',
    ],
  },
  {
    version: 19,
    name: 'RAM groups',
    statements: [
      `CREATE TABLE ram_groups (
        group_id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(account_id),
        group_name TEXT NOT NULL,
        comments TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
      'CREATE UNIQUE INDEX ram_groups_name ON ram_groups (account_id, group_name)',
      `CREATE TABLE ram_group_members (
        group_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        joined_at BIGINT NOT NULL,
        PRIMARY KEY (group_id, user_id)
      )`,
      'CREATE INDEX ram_group_members_user ON ram_group_members (user_id)',
    ],
  },
  {
    version: 15,
    name: 'record append journal',
    statements: [
      // A delivery batch between "checked and about to append" and "append committed": the SKIPDATA
      // records that stand for it if the process dies in between (src/dataplane/pipeline/delivery.ts).
      `CREATE TABLE record_journal (
        batch_id TEXT PRIMARY KEY,
        skipped TEXT NOT NULL,
        created_at BIGINT NOT NULL
      )`,
      // Batches the SQLite record store committed (the DuckDB store keeps its own), for that recovery.
      `CREATE TABLE record_batches (
        id TEXT PRIMARY KEY,
        committed_at BIGINT NOT NULL
      )`,
    ],
  },
  {
    version: 20,
    name: 'data versions shared by every node',
    // SQLite counts writes in the process (sqlite-db.ts). On PostgreSQL every write statement that
    // changes rows of a tracked table appends (table, 1) here in the writer's own transaction, and
    // dataVersion sums them: the version moves exactly when the change becomes visible, on every node.
    // Appends never conflict, unlike a counter row every writer would update (SERIALIZABLE retries).
    statements: [],
    postgres: [
      'CREATE TABLE data_changes (table_name TEXT NOT NULL, n BIGINT NOT NULL)',
      'CREATE INDEX data_changes_table ON data_changes (table_name)',
      `CREATE FUNCTION vpcflow_note_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF EXISTS (SELECT 1 FROM changed) THEN
           INSERT INTO data_changes (table_name, n) VALUES (TG_TABLE_NAME, 1);
         END IF;
         RETURN NULL;
       END $$`,
      ...VERSIONED_TABLES.flatMap(changeTriggers),
    ],
  },
  {
    version: 21,
    name: 'signature nonces shared by every node',
    // Used on PostgreSQL, so a nonce used on one node is refused on every other within the window;
    // a single SQLite process keeps them in memory. Expired rows are swept by whoever inserts.
    statements: [
      `CREATE TABLE signature_nonces (
        access_key_id TEXT NOT NULL,
        nonce TEXT NOT NULL,
        expires_at BIGINT NOT NULL,
        PRIMARY KEY (access_key_id, nonce)
      )`,
      'CREATE INDEX signature_nonces_expiry ON signature_nonces (expires_at)',
      // The per-AccessKey quota counts a key's live nonces.
      'CREATE INDEX signature_nonces_key_expiry ON signature_nonces (access_key_id, expires_at)',
    ],
  },
  {
    version: 22,
    name: 'background leases and shared window marks',
    // Used on PostgreSQL only (a single SQLite process is always the one node): which node runs each
    // kind of background work (src/store/repos/lease-repo.ts), and what every node's collector saw per
    // capture window, so the one node writing NODATA / SKIPDATA decides for all of them
    // (src/store/repos/window-mark-repo.ts).
    statements: [
      `CREATE TABLE background_leases (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        expires_at BIGINT NOT NULL
      )`,
      `CREATE TABLE window_marks (
        kind TEXT NOT NULL,
        at BIGINT NOT NULL,
        scope TEXT NOT NULL,
        PRIMARY KEY (kind, at, scope)
      )`,
      // Whose delivery a journal entry is (src/cluster/node-identity.ts): with several nodes, only the
      // node that journaled a batch can tell whether its append committed, and only it recovers it.
      "ALTER TABLE record_journal ADD COLUMN owner TEXT NOT NULL DEFAULT ''",
    ],
  },
  {
    version: 23,
    name: 'flow records shared by every node',
    // PostgreSQL only (src/store/records/postgres-records.ts): migration 11's plain table never held
    // records there (they lived in each node's DuckDB file), so it is replaced by one range-partitioned
    // by day on `time`; partitions (log_records_YYYYMMDD) are created on demand by whoever appends first,
    // and retention drops whole days. SQLite keeps migration 11's table.
    statements: [],
    postgres: [
      'DROP TABLE log_records',
      // Append order across every node: the tie-break of records with the same time (record-sql.ts),
      // as DuckDB's and SQLite's rowid. Not cached, so two connections never hand out interleaved ranges.
      'CREATE SEQUENCE log_records_rowid',
      // Text in byte order (COLLATE "C"), so ORDER BY and comparisons give DuckDB's answers whatever the
      // database's default collation.
      `CREATE TABLE log_records (
        region_id TEXT COLLATE "C" NOT NULL,
        project_name TEXT COLLATE "C" NOT NULL,
        logstore_name TEXT COLLATE "C" NOT NULL,
        flow_log_id TEXT COLLATE "C" NOT NULL,
        time BIGINT NOT NULL,
        topic TEXT COLLATE "C" NOT NULL,
        source TEXT COLLATE "C" NOT NULL,
        version BIGINT,
        vswitch_id TEXT COLLATE "C",
        vm_id TEXT COLLATE "C",
        vpc_id TEXT COLLATE "C",
        account_id TEXT COLLATE "C",
        eni_id TEXT COLLATE "C",
        region TEXT COLLATE "C",
        srcaddr TEXT COLLATE "C",
        srcport BIGINT,
        dstaddr TEXT COLLATE "C",
        dstport BIGINT,
        protocol BIGINT,
        direction TEXT COLLATE "C",
        packets BIGINT,
        bytes BIGINT,
        start BIGINT,
        "end" BIGINT,
        log_status TEXT COLLATE "C",
        action TEXT COLLATE "C",
        tcp_flags BIGINT,
        rowid BIGINT NOT NULL DEFAULT nextval('log_records_rowid')
      ) PARTITION BY RANGE (time)`,
      // Created on every partition.
      'CREATE INDEX log_records_time ON log_records (region_id, project_name, logstore_name, time)',
      'CREATE INDEX log_records_eni ON log_records (region_id, project_name, logstore_name, eni_id, time)',
      // Which logstores have records in which day's partition (day = floor(time / 86400)), noted by each
      // append in its transaction: retention drops a day only when every logstore in it allows it.
      `CREATE TABLE record_days (
        day BIGINT NOT NULL,
        region_id TEXT NOT NULL,
        project_name TEXT NOT NULL,
        logstore_name TEXT NOT NULL,
        PRIMARY KEY (day, region_id, project_name, logstore_name)
      )`,
      'CREATE INDEX record_days_logstore ON record_days (region_id, project_name, logstore_name)',
      'CREATE INDEX record_batches_committed ON record_batches (committed_at)',
    ],
  },
  {
    version: 24,
    name: 'flow log pages at scale',
    // DescribeFlowLogs at a million flow logs (src/store/repos/flow-log-repo.ts, bench/describe.ts): each
    // filter of the request mix reads one index range in page order, so a page costs the index entries
    // it skips, never a sort of every match nor a table row per match.
    statements: [
      // A flow log's creation time on its tags (NULL on other resources' tags; it never changes), so a
      // tag filter pages and counts in tags_flow_log_order alone instead of joining every tagged flow log.
      'ALTER TABLE tags ADD COLUMN resource_created_at BIGINT',
      `UPDATE tags SET resource_created_at = (SELECT f.created_at FROM flow_logs f WHERE f.flow_log_id = tags.resource_id)
       WHERE resource_type = 'FLOWLOG'`,
      'DROP INDEX tags_lookup',
      `CREATE INDEX tags_flow_log_order ON tags (account_id, region_id, resource_type, tag_key, tag_value,
        resource_created_at, resource_id)`,
      // The unfiltered page and count: only the order columns, so it is the narrowest index covering them
      // and SQLite takes it (not flow_logs_name with a sort of every match, as it may without statistics).
      'CREATE INDEX flow_logs_page ON flow_logs (account_id, region_id, created_at, flow_log_id)',
      // VpcId, ResourceId, Status with TrafficType, and ProjectName + LogStoreName (with Description),
      // each in page order. Their own columns come first and the account and region after: SQLite has no
      // statistics (vpcflow never runs ANALYZE) and may take any index starting with (account_id,
      // region_id) for an unfiltered page, sorting every match.
      'DROP INDEX flow_logs_vpc',
      'CREATE INDEX flow_logs_vpc_order ON flow_logs (vpc_id, account_id, region_id, created_at, flow_log_id)',
      'DROP INDEX flow_logs_resource',
      `CREATE INDEX flow_logs_resource_order ON flow_logs (resource_id, account_id, region_id, created_at,
        flow_log_id)`,
      `CREATE INDEX flow_logs_status_order ON flow_logs (status, traffic_type, account_id, region_id, created_at,
        flow_log_id)`,
      `CREATE INDEX flow_logs_logstore_order ON flow_logs (project_name, logstore_name, account_id, region_id,
        created_at, flow_log_id, description)`,
    ],
  },
];
