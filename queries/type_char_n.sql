-- id: type_char_n
-- category: type_char_n
-- title: char(n) columns
-- severity: low
-- effort: medium
-- rationale: char(n) pads values with spaces to n characters, ignores trailing spaces in
--   comparisons but not in LIKE or regular expressions, and stores no more efficiently than
--   text. The conversion to text strips the padding, so it rewrites the table: do it by
--   expand-contract (add a text column, keep it in sync, backfill in batches, swap), not by
--   ALTER COLUMN TYPE in place under an ACCESS EXCLUSIVE lock.
--
-- Finds columns declared char(n) (bpchar) on tables, partitions left out. Returns the fixed
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
       format('column %s.%s.%s is %s: values are blank-padded and compare inconsistently; use text (with a length check if needed)',
              n.nspname, t.relname, a.attname, format_type(a.atttypid, a.atttypmod)) || case when rd.names is not null then format('; %s read it: the swap needs them dropped and recreated over the new column', rd.names) else '' end as message,
       json_build_object('dependent_views', rd.names, 'column_type', format_type(a.atttypid, a.atttypmod)) as evidence,
       concat_ws(E'\n',
         case when rd.names is not null then regexp_replace(format('-- %s read the column: in the swap''s transaction, drop them first and recreate them after the renames (definitions from pg_get_viewdef; materialized views refilled)', rd.names), '[\r\n]+', E'\n-- ', 'g') end,
         regexp_replace(format('-- move %I to text by expand-contract, not alter column type (a table rewrite under an exclusive lock):', a.attname), '[\r\n]+', E'\n-- ', 'g'),
         'set lock_timeout = ''5s'';',
         format('alter table %I.%I add column if not exists %I text;', n.nspname, t.relname, a.attname || '_text'),
         regexp_replace(format('-- keep %I in sync with a before insert or update trigger (new.%I := new.%I::text), then backfill; repeat until it updates no row:',
                a.attname || '_text', a.attname || '_text', a.attname), '[\r\n]+', E'\n-- ', 'g'),
         format('update %I.%I set %I = %I::text where ctid = any (array(select ctid from %I.%I where %I is null and %I is not null limit 10000));',
                n.nspname, t.relname, a.attname || '_text', a.attname, n.nspname, t.relname, a.attname || '_text', a.attname),
         regexp_replace(format('-- then build its indexes concurrently, and in one short transaction rename %I to %I and %I to %I;',
                a.attname, 'deprecated_' || a.attname, a.attname || '_text', a.attname), '[\r\n]+', E'\n-- ', 'g'),
         '-- drop the old column after the grace period.') as remediation,
       concat_ws(E'\n',
         '-- before the swap: drop the new column (it only holds copies); after it, rename the columns back in one transaction:',
         'set lock_timeout = ''5s'';',
         format('alter table %I.%I drop column if exists %I;', n.nspname, t.relname, a.attname || '_text')) as undo,
       format('%I.%I.%I', n.nspname, t.relname, a.attname) as identity
from pg_catalog.pg_attribute a
join pg_catalog.pg_class t on t.oid = a.attrelid
join pg_catalog.pg_namespace n on n.oid = t.relnamespace
left join readers rd on rd.relid = t.oid and rd.attnum = a.attnum
where a.atttypid = 'bpchar'::regtype
  and a.attnum > 0
  and not a.attisdropped
  and t.relkind in ('r', 'p')
  and not t.relispartition
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp_)'
  and not exists (select 1 from pg_catalog.pg_depend d
                  where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
order by n.nspname, t.relname, a.attnum
