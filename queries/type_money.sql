-- id: type_money
-- category: type_money
-- title: money columns
-- severity: low
-- effort: medium
-- rationale: money has a fixed number of fractional digits taken from lc_monetary, so the same
--   data reads and restores differently on servers with another locale, holds no currency, and
--   rounds in division. numeric stores amounts exactly. The conversion rewrites the table: do
--   it by expand-contract (add a numeric column, keep it in sync, backfill in batches, swap),
--   not by ALTER COLUMN TYPE in place under an ACCESS EXCLUSIVE lock.
--
-- Finds columns of type money on tables, partitions left out. Returns the fixed
-- finding aliases (docs/contributing.md).
with readers as (
  -- the views, materialized views and rules that read a column: they keep reading the old
  -- column after the renames of the swap, and block its drop, so the swap needs them dropped
  -- and recreated over the new column in its transaction
  select d.refobjid as relid, d.refobjsubid as attnum,
         string_agg(distinct format('%s %s.%s', case when r.ev_class = d.refobjid then 'rule ' || r.rulename || ' on'
                                                      when v.relkind = 'm' then 'materialized view' else 'view' end,
                                    vn.nspname, v.relname), ', ') as names
  from pg_catalog.pg_depend d
  join pg_catalog.pg_rewrite r on r.oid = d.objid
  join pg_catalog.pg_class v on v.oid = r.ev_class
  join pg_catalog.pg_namespace vn on vn.oid = v.relnamespace
  where d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
    and d.refobjsubid > 0
  group by d.refobjid, d.refobjsubid
)
select n.nspname as schema_name,
       t.relname as table_name,
       format('%s.%s.%s', n.nspname, t.relname, a.attname) as object,
       'column' as object_type,
       format('column %s.%s.%s is %s: its precision depends on lc_monetary and it holds no currency; use numeric',
              n.nspname, t.relname, a.attname, format_type(a.atttypid, a.atttypmod)) || case when rd.names is not null then format('; %s read it: the swap needs them dropped and recreated over the new column', rd.names) else '' end as message,
       json_build_object('dependent_views', rd.names, 'column_type', format_type(a.atttypid, a.atttypmod)) as evidence,
       concat_ws(E'\n',
         case when rd.names is not null then regexp_replace(format('-- %s read the column: in the swap''s transaction, drop them first and recreate them after the renames (definitions from pg_get_viewdef; materialized views refilled)', rd.names), '[\r\n]+', E'\n-- ', 'g') end,
         regexp_replace(format('-- move %I to numeric by expand-contract, not alter column type (a table rewrite under an exclusive lock):', a.attname), '[\r\n]+', E'\n-- ', 'g'),
         'set lock_timeout = ''5s'';',
         format('alter table %I.%I add column if not exists %I numeric;', n.nspname, t.relname, a.attname || '_numeric'),
         regexp_replace(format('-- keep %I in sync with a before insert or update trigger (new.%I := new.%I::numeric), then backfill; repeat until it updates no row:',
                a.attname || '_numeric', a.attname || '_numeric', a.attname), '[\r\n]+', E'\n-- ', 'g'),
         format('update %I.%I set %I = %I::numeric where ctid = any (array(select ctid from %I.%I where %I is null and %I is not null limit 10000));',
                n.nspname, t.relname, a.attname || '_numeric', a.attname, n.nspname, t.relname, a.attname || '_numeric', a.attname),
         regexp_replace(format('-- then build its indexes concurrently, and in one short transaction rename %I to %I and %I to %I;',
                a.attname, 'deprecated_' || a.attname, a.attname || '_numeric', a.attname), '[\r\n]+', E'\n-- ', 'g'),
         '-- drop the old column after the grace period.') as remediation,
       concat_ws(E'\n',
         '-- before the swap: drop the new column (it only holds copies); after it, rename the columns back in one transaction:',
         'set lock_timeout = ''5s'';',
         format('alter table %I.%I drop column if exists %I;', n.nspname, t.relname, a.attname || '_numeric')) as undo,
       format('%I.%I.%I', n.nspname, t.relname, a.attname) as identity
from pg_catalog.pg_attribute a
join pg_catalog.pg_class t on t.oid = a.attrelid
join pg_catalog.pg_namespace n on n.oid = t.relnamespace
left join readers rd on rd.relid = t.oid and rd.attnum = a.attnum
where a.atttypid = 'money'::regtype
  and a.attnum > 0
  and not a.attisdropped
  and t.relkind in ('r', 'p')
  and not t.relispartition
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp_)'
  and not exists (select 1 from pg_catalog.pg_depend d
                  where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
order by n.nspname, t.relname, a.attnum
