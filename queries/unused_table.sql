-- id: unused_table
-- category: unused_table
-- area: cleanup
-- title: Unused tables
-- severity: info..low, default low
-- effort: low
-- group: check
-- needs: history
-- params: min_window_days=7, deprecation_patterns={deprecated_*,dropped_*}
-- input: replica_usage
-- grading: low; info when the confidence is low (no rename is proposed).
-- rationale: A table nobody reads or writes still costs backups, vacuum and restore time and
--   misleads whoever reads the schema. Stop using it safely: rename it to deprecated_<name>, so
--   a forgotten reader fails loudly while the data stays, and drop it after the grace period.
--
-- One row per plain table and materialized view (partitions and partitioned tables are left
-- out) with its current counters: seq_scan, idx_scan, n_tup_ins, n_tup_upd, n_tup_del from
-- pg_stat_user_tables. audit/checks/unused_table.cpp compares them with the previous
-- snapshot's "table" metrics (metrics_tables) and reports the tables none of them grew on.
-- Tables new since the previous snapshot, those already named by a deprecation pattern
-- ($2, deprecated_object follows them), and those another table references by a foreign key
-- (a lookup table the application reads from its cache is still the parent its children's
-- rows are checked against; unused children are reported first) are not reported. $1 (min_window_days): with less
-- history than this the finding is info. size_bytes is relpages x block_size, table plus TOAST.
-- seq_scan and idx_scan include the scans of the replicas counted ($3, the input replica_usage:
-- {schema: {relation: [seq_scan, idx_scan]}}, summed over --replica servers; {} without).
-- last_read: on PostgreSQL 16 and newer, this server's last sequential or index scan of the
-- table (last_seq_scan, last_idx_scan; the view's row read as JSON, so one query serves every
-- major; null before 16 or when never read since statistics began), ISO 8601 in UTC.
-- Columns: the fixed aliases (message and evidence are set by the C++ logic), the counters,
-- last_read, size_bytes, rename_sql, drop_sql, undo and min_window_days.
with pattern as (
  select string_agg('^' || replace(replace(regexp_replace(p, '([^[:alnum:]_*?])', '\\\1', 'g'),
                                           '*', '.*'), '?', '.') || '$', '|') as re
  from unnest($2::text[]) p
), tbl as (
  select s.relid, s.schemaname, s.relname,
         s.seq_scan + coalesce(($3::jsonb #>> array[s.schemaname::text, s.relname::text, '0'])::bigint, 0) as seq_scan,
         coalesce(s.idx_scan, 0) + coalesce(($3::jsonb #>> array[s.schemaname::text, s.relname::text, '1'])::bigint, 0) as idx_scan,
         s.n_tup_ins, s.n_tup_upd, s.n_tup_del,
         greatest((pg_catalog.to_jsonb(s) ->> 'last_seq_scan')::timestamptz,
                  (pg_catalog.to_jsonb(s) ->> 'last_idx_scan')::timestamptz) at time zone 'UTC' as last_read,
         (t.relpages::bigint + coalesce(tt.relpages, 0)) * pg_catalog.current_setting('block_size')::bigint as size_bytes,
         case when t.relkind = 'm' then 'materialized view' else 'table' end as kind,
         fitted.names[1] as new_name
  from pg_catalog.pg_stat_user_tables s
  join pg_catalog.pg_class t on t.oid = s.relid
  left join pg_catalog.pg_class tt on tt.oid = t.reltoastrelid
  cross join lateral (select array['deprecated_' || t.relname] as bases,
                             array[exists (select from pg_catalog.pg_class o where o.relnamespace = t.relnamespace
                                     and o.relname = 'deprecated_' || t.relname)] as taken) fit
-- include: fitted_names
  cross join pattern
  where t.relkind in ('r', 'm')
    and not t.relispartition
    and (pattern.re is null or s.relname !~ pattern.re)
    and not exists (select 1 from pg_catalog.pg_constraint k
                    where k.contype = 'f' and k.confrelid = s.relid and k.conrelid <> s.relid)
    and s.schemaname !~ '^pg_temp_'
    and s.relid not in (select d.objid from pg_catalog.pg_depend d
                        where d.refclassid = 'pg_catalog.pg_extension'::regclass
                          and d.classid = 'pg_catalog.pg_class'::regclass and d.deptype = 'e')
)
select t.schemaname as schema_name,
       t.relname as table_name,
       format('%I.%I', t.schemaname, t.relname) as object,
       t.kind as object_type,
       '' as message,
       t.seq_scan,
       t.idx_scan,
       t.n_tup_ins,
       t.n_tup_upd,
       t.n_tup_del,
       to_char(t.last_read, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as last_read,
       t.size_bytes,
       format(E'set lock_timeout = ''5s'';\nalter %s %I.%I rename to %I;', t.kind, t.schemaname, t.relname, t.new_name) as rename_sql,
       format('drop %s if exists %I.%I;', t.kind, t.schemaname, t.new_name) as drop_sql,
       concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         format('alter %s if exists %I.%I rename to %I;', t.kind, t.schemaname, t.new_name, t.relname),
         '-- once dropped, its rows cannot be brought back without a backup taken before the drop') as undo,
       $1::int as min_window_days,
       format('%I.%I', t.schemaname, t.relname) as identity
from tbl t
order by t.schemaname, t.relname
