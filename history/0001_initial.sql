-- Schema version 1 of the schema-audit history file. Append-only: never edit a migration that
-- has shipped; add NNNN_<what>.sql instead. Each migration runs in one transaction and the
-- runner sets PRAGMA user_version to its number.

create table targets (
  id integer primary key,
  name text not null unique,      -- --name, the config target name, or the database name
  host text not null default '',
  port text not null default '',
  dbname text not null default ''
);

create table snapshots (
  id integer primary key,
  target_id integer not null references targets(id),
  taken_at integer not null,      -- epoch seconds (now, or audit --as-of)
  server_version text not null,
  server_version_num integer not null,
  stats_reset text,               -- pg_stat_database.stats_reset, ISO 8601
  tool_version text not null,
  checks_run integer not null,
  wall_ms real not null,
  query_ms real not null
);
create index snapshots_target_time on snapshots(target_id, taken_at);

create table findings (
  snapshot_id integer not null references snapshots(id) on delete cascade,
  fingerprint text not null,
  check_id text not null,
  category text not null,
  severity text not null,
  effort text not null,
  schema_name text not null,
  object text not null,
  object_type text not null,
  message text not null,
  evidence text not null,         -- JSON
  remediation text not null,
  primary key (snapshot_id, fingerprint)
) without rowid;
create index findings_fingerprint on findings(fingerprint);

create table skipped_checks (
  snapshot_id integer not null references snapshots(id) on delete cascade,
  check_id text not null,
  reason text not null,
  primary key (snapshot_id, check_id)
) without rowid;

-- Objects named once, so per-snapshot metrics stay small.
create table objects (
  id integer primary key,
  object_type text not null,
  name text not null,
  unique (object_type, name)
);

create table metrics (
  snapshot_id integer not null references snapshots(id) on delete cascade,
  object_id integer not null references objects(id),
  metric text not null,
  value real not null,
  primary key (snapshot_id, object_id, metric)
) without rowid;
