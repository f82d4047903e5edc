-- Schema version 8: the schema's history (issue #18). A snapshot records its catalog (tables,
-- columns, indexes, constraints, views, functions, extensions, sequences: queries/inputs/
-- catalog.sql) as what changed since the target's previous snapshot with a catalog, never
-- whole: most of a schema does not change between two audits. catalog_objects keeps each
-- target's catalog as of its latest such snapshot, which the next save compares with and then
-- brings up to date (only the rows that changed are written). Histories from before have no
-- catalog: the first snapshot with one is the baseline (catalog_counts rows, no changes).

-- Per target, its catalog as of the latest snapshot that had one: one row per object, keyed as
-- a rename keeps it (a column: its table's oid and attnum; anything else: its oid and 0).
create table catalog_objects (
  target_id {bigint} not null references targets(id),
  kind text not null,
  oid {bigint} not null,
  sub {bigint} not null,
  label text not null,
  name text not null,
  attrs text not null,            -- JSON object of text values
  primary key (target_id, kind, oid, sub)
) {without rowid};

-- Per snapshot with a catalog, the number of objects of each kind (every kind, 0 included):
-- a snapshot with rows here had its catalog recorded.
create table catalog_counts (
  snapshot_id {bigint} not null references snapshots(id) on delete cascade,
  kind text not null,
  objects {bigint} not null,
  primary key (snapshot_id, kind)
) {without rowid};

-- Per snapshot, what changed in the catalog since the target's previous snapshot with one
-- (model::CatalogChange), in the order they are listed.
create table catalog_changes (
  snapshot_id {bigint} not null references snapshots(id) on delete cascade,
  seq {bigint} not null,
  change text not null,           -- added, dropped, renamed, altered
  kind text not null,
  oid {bigint} not null,
  sub {bigint} not null,
  object text not null,
  name text not null,
  attribute text not null,
  value_before text not null,
  value_after text not null,
  note text not null,
  primary key (snapshot_id, seq)
) {without rowid};
