-- The CTEs pattern and tbl of unused_table.sql and unused_table.pg16.sql (their params: $2 is
-- deprecation_patterns, $3 the input replica_usage): each plain table and materialized view
-- with its counters, size and proposed deprecated_ name, without last_read, which the two
-- files read each in their own way (a CTE read_at over tbl). Ends with a comma.
pattern as (
  select string_agg('^' || replace(replace(regexp_replace(p, '([^[:alnum:]_*?])', '\\\1', 'g'),
                                           '*', '.*'), '?', '.') || '$', '|') as re
  from unnest($2::text[]) p
), tbl as (
  select s.relid, s.schemaname, s.relname,
         s.seq_scan + coalesce(($3::jsonb #>> array[s.schemaname::text, s.relname::text, '0'])::bigint, 0) as seq_scan,
         coalesce(s.idx_scan, 0) + coalesce(($3::jsonb #>> array[s.schemaname::text, s.relname::text, '1'])::bigint, 0) as idx_scan,
         s.n_tup_ins, s.n_tup_upd, s.n_tup_del,
         (t.relpages::bigint + coalesce(tt.relpages, 0)) * pg_catalog.current_setting('block_size')::bigint as size_bytes,
         case when t.relkind = 'm' then 'materialized view' else 'table' end as kind,
         fitted.names[1] as new_name
  from pg_catalog.pg_class t
  join pg_catalog.pg_namespace sn on sn.oid = t.relnamespace
  -- pg_stat_user_tables' columns, from the functions the view calls, for these tables only:
  -- the view grouped every relation of the database with its indexes to sum their scans
  cross join lateral (
    select t.oid as relid, sn.nspname as schemaname, t.relname,
           pg_catalog.pg_stat_get_numscans(t.oid) as seq_scan,
           (select sum(pg_catalog.pg_stat_get_numscans(i.indexrelid))::bigint
            from pg_catalog.pg_index i where i.indrelid = t.oid) as idx_scan,
           pg_catalog.pg_stat_get_tuples_inserted(t.oid) as n_tup_ins,
           pg_catalog.pg_stat_get_tuples_updated(t.oid) as n_tup_upd,
           pg_catalog.pg_stat_get_tuples_deleted(t.oid) as n_tup_del
  ) s
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
    -- the view's schemas
    and sn.nspname not in ('pg_catalog', 'information_schema')
    and sn.nspname !~ '^pg_toast'
    and s.schemaname !~ '^pg_temp_'
    and s.relid not in (
      -- include: extension_relations
    )
),
