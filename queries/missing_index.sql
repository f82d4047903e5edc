-- id: missing_index
-- category: missing_index
-- area: indexes
-- title: Tables read by large sequential scans
-- severity: low..high, default medium
-- effort: low
-- params: min_rows=10000, min_seq_scan=50, min_avg_seq_tup=5000, low_rows_read=10000000, tenant_keys=(config)
-- grading: by the work the scans did: low below low_rows_read (10,000,000 rows read in all), high
--   when the average scan reads 1,000,000 rows or more, else medium.
-- rationale: A table that is scanned sequentially again and again, each scan reading many rows,
--   usually lacks an index on the columns its queries filter or join on. Every such scan reads
--   the whole table, evicts useful pages from the cache and gets slower as the table grows.
--   Find the statements that filter it (missing_index_statements proposes an index when
--   pg_stat_statements is installed) and create the index with CREATE INDEX CONCURRENTLY.
--
-- Finds tables (any schema) with at least min_seq_scan sequential scans since the statistics
-- were reset, at least min_rows live rows (or fewer, when the scans read low_rows_read rows or
-- more in all: the work grades, not the table's size), an average of at least min_avg_seq_tup rows read per
-- sequential scan, and more rows read by them than index scans fetched (the work, not the
-- number of scans: a few full scans outweigh many lookups of a row). Severity from the work the scans did:
-- low below low_rows_read rows read in all (50 scans of a 10,000-row table are no load worth an
-- index), high when the average scan reads a million rows or more, else medium.
-- audit/checks/missing_index.cpp rates the confidence from the statistics window (a short window
-- may have caught a one-off batch job).
-- When char(n) columns lead the table's indexes, the message says the scans may come from
-- comparing them with text, which no index of char(n) serves (evidence char_n_index_leads).
-- When foreign keys of the table have no index that serves them (as fk_without_index decides,
-- lib/fk_serving_index.sql), the message names them: lookups by one of them scan the table, and
-- its fix's index serves those; the scans' columns are not known here, so the two stay two
-- entries (Supabase Auth's mfa_challenges, looked up by factor_id; the realistic sample's
-- payments, looked up by an unindexed external_id beside an unindexed invoice_id). Unless the
-- table had no more sequential scans than the rows its unindexed keys' parents deleted (each
-- delete looks its referencing rows up, once per key, by a scan of the table without the index; a tenth more and
-- ten scans allowed): then the scans are those lookups, fk_without_index's entry is the one
-- decision, and this check reports nothing (Hoppscotch's Account, 62 scans for 61 deletes of
-- User; 7 of its 23 entries repeated their key's).
-- Columns: the fixed finding aliases; evidence has seq_scan, seq_tup_read, idx_scan,
-- idx_tup_fetch, n_live_tup, avg_seq_tup, size_bytes, char_n_index_leads.
with tenant_key_names as (
  -- the tenant columns' names ($5, tenant_keys), for lib/fk_serving_index.sql
  select $5::text[] as names
),
candidates as (
  -- the tables pg_stat_user_tables shows (relkind r, m, and p from PostgreSQL 14, as its view has
  -- it), with the five counters read from the pg_stat_get_* functions its columns are made of: the
  -- view calls some twenty per table and groups its join to pg_index for idx_scan, which is summed
  -- here per table, and only for the tables the other tests keep
  select c.oid as relid, n.nspname as schemaname, c.relname, s.seq_scan, s.seq_tup_read,
         coalesce(s.idx_scan, 0) as idx_scan, s.idx_tup_fetch, s.n_live_tup,
         s.seq_tup_read / greatest(s.seq_scan, 1) as avg_seq_tup
  from pg_catalog.pg_class c
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  cross join lateral (
    select pg_catalog.pg_stat_get_numscans(c.oid) as seq_scan,
           pg_catalog.pg_stat_get_tuples_returned(c.oid) as seq_tup_read,
           pg_catalog.pg_stat_get_live_tuples(c.oid) as n_live_tup,
           (select sum(pg_catalog.pg_stat_get_numscans(i.indexrelid))::bigint
            from pg_catalog.pg_index i where i.indrelid = c.oid) as idx_scan,
           -- as pg_stat_user_tables.idx_tup_fetch: rows index scans fetched (bitmap scans' on the table)
           pg_catalog.pg_stat_get_tuples_fetched(c.oid)
             + coalesce((select sum(pg_catalog.pg_stat_get_tuples_fetched(i.indexrelid))::bigint
                         from pg_catalog.pg_index i where i.indrelid = c.oid), 0) as idx_tup_fetch) s
  -- the relkind test alone first (cheapest, so run first: the counters only for tables)
  where c.relkind in ('r', 'm', 'p')
    and (c.relkind <> 'p' or pg_catalog.current_setting('server_version_num')::int >= 140000)
    and s.seq_scan >= $2::bigint
    -- a table below min_rows whose scans did the work of a medium finding is one too (Hoppscotch:
    -- 9,840 rows scanned 1,501 times were nothing, 10,100 rows as often medium); the average scan
    -- still reads min_avg_seq_tup rows or more
    and (s.n_live_tup >= $1::bigint or s.seq_tup_read >= $4::bigint)
    and s.seq_tup_read / greatest(s.seq_scan, 1) >= $3::bigint
    -- the work, not the number of scans: 300 full scans of 50,000 rows beside 301 lookups of a
    -- row each are the table's load (Documenso's WebhookCall), and were hidden by counting scans
    and s.seq_tup_read > s.idx_tup_fetch
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and c.oid not in (
      -- include: extension_relations
    )
)
select c.schemaname as schema_name,
       c.relname as table_name,
       format('%I.%I', c.schemaname, c.relname) as object,
       'table' as object_type,
       case when c.avg_seq_tup >= 1000000 then 'high'
            when c.seq_tup_read < $4::bigint then 'low' end as severity,
       format('table %I.%I had %s sequential scans reading %s rows each on average, %s rows in all (%s index '
              'scans fetched %s): its queries likely filter on unindexed columns; index the columns they '
              'filter or join on%s%s',
              c.schemaname, c.relname, c.seq_scan, c.avg_seq_tup, c.seq_tup_read, c.idx_scan, c.idx_tup_fetch,
              case when fk.names is not null
                   then format('; or they look rows up by %s, %s with no index (fk_without_index, whose fix builds %s)',
                               fk.names, case when fk.count > 1 then 'foreign keys' else 'a foreign key' end,
                               case when fk.count > 1 then 'the indexes that serve such lookups' else 'the index that serves such lookups' end)
                   else '' end,
              case when ch.names is not null
                   then format('; or they compare %s, the char(n) %s that %s its indexes, with text (a text parameter casts the '
                               'column, and no index of char(n) serves the comparison): compare as char(n), or move %s to text (type_char_n)',
                               ch.quoted, case when ch.count > 1 then 'columns' else 'column' end,
                               case when ch.count > 1 then 'lead' else 'leads' end,
                               case when ch.count > 1 then 'them' else 'it' end) else '' end) as message,
       json_build_object('seq_scan', c.seq_scan, 'seq_tup_read', c.seq_tup_read,
                         'idx_scan', c.idx_scan, 'idx_tup_fetch', c.idx_tup_fetch, 'n_live_tup', c.n_live_tup,
                         'avg_seq_tup', c.avg_seq_tup,
                         'size_bytes', pg_catalog.pg_table_size(c.relid),
                         'char_n_index_leads', ch.names,
                         'unindexed_foreign_keys', fk.names) as evidence,
       format('%I.%I', c.schemaname, c.relname) as identity
from candidates c
-- the char(n) columns that lead an index of the table (Temporal's executions_visibility: its
-- primary key (namespace_id, run_id) and 74 indexes all led by char(64) namespace_id; lookups
-- with text parameters read (namespace_id)::text = $1 and scanned the table 6,400 times)
cross join lateral (
  select string_agg(distinct a.attname, ', ') as names, string_agg(distinct pg_catalog.quote_ident(a.attname), ', ') as quoted,
         count(distinct a.attnum) as count
  from pg_catalog.pg_index x
  join pg_catalog.pg_attribute a on a.attrelid = x.indrelid and a.attnum = x.indkey[0]
  where x.indrelid = c.relid and x.indisvalid and a.atttypid = 'pg_catalog.bpchar'::regtype) ch
-- the table's foreign keys no index serves (fk_without_index's test), by their columns, and the rows
-- their parents deleted, once for each key: a parent's delete looks its rows up once per key that
-- references it (Rallly's sessions: two keys to users, 683 scans for 340 user deletes)
cross join lateral (
  select string_agg(cols.list, ', ' order by cols.list) as names, count(*) as count,
         sum(pg_catalog.pg_stat_get_tuples_deleted(k.confrelid)) as parent_deletes
  from pg_catalog.pg_constraint k
  cross join lateral (
    select '(' || string_agg(pg_catalog.quote_ident(a.attname), ', ' order by o.ord) || ')' as list
    from unnest(k.conkey) with ordinality o(attnum, ord)
    join pg_catalog.pg_attribute a on a.attrelid = k.conrelid and a.attnum = o.attnum) cols
  where k.conrelid = c.relid and k.contype = 'f'
    and not exists (select 1 from pg_catalog.pg_index x
                    where x.indrelid = k.conrelid
                      and x.indisvalid
                      -- include: fk_serving_index
                   )) fk
where not coalesce(c.seq_scan <= fk.parent_deletes * 1.1 + 10, false)
order by c.seq_tup_read desc, c.schemaname, c.relname
