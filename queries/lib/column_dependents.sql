-- The views, materialized views and rules that read each column, and the generated columns,
-- triggers (UPDATE OF, WHEN) and row-level security policies (type_varchar_n, type_timestamp_no_tz;
-- never recreatable here):
-- dependents, one row per (table_oid, attnum) with their names (and
-- `read`, `them`: the verb and pronoun that agree with them), whether every one is a view or
-- materialized view that can be dropped and recreated around an ALTER COLUMN TYPE
-- (recreatable), and the statements that do it
-- (drop_sql; create_sql with options, owner, grants and comment, and a materialized view's
-- indexes and data). No comma after it: a query that defines more CTEs starts the next one
-- with ", name as (".
dependents as materialized (
  select u.table_oid, u.attnum,
         string_agg(distinct u.name, ', ') as names,
         -- the words that agree with the names: one reads it, several read them
         case when count(distinct u.name) = 1 then 'reads' else 'read' end as read,
         case when count(distinct u.name) = 1 then 'it' else 'them' end as them,
         bool_and(u.recreatable) as recreatable,
         string_agg(distinct u.drop_sql, E'\n') as drop_sql,
         string_agg(distinct u.create_sql, E'\n') as create_sql
  from (
    -- the views, materialized views and rules that read a column: ALTER COLUMN TYPE refuses to run
    -- under them. A view or materialized view that no other view or rule reads, with no trigger
    -- and no rule of its own beside its definition, is dropped and recreated around the change (a
    -- materialized view filled again in the change's transaction); anything else is named, and
    -- the change left to do by hand.
    select d.refobjid as table_oid, d.refobjsubid as attnum,
           format('%s %I.%I', case when r.ev_class = d.refobjid then 'rule ' || r.rulename || ' on'
                                   when v.relkind = 'm' then 'materialized view' else 'view' end,
                  vn.nspname, v.relname) as name,
           (v.relkind in ('v', 'm') and r.ev_class <> d.refobjid
                  -- (by pg_depend's reference index: refclassid too, else each view scanned every rule)
                  and not exists (select from pg_catalog.pg_depend d2
                                  join pg_catalog.pg_rewrite r2 on r2.oid = d2.objid
                                  where d2.refclassid = 'pg_catalog.pg_class'::regclass and d2.refobjid = v.oid
                                    and d2.classid = 'pg_catalog.pg_rewrite'::regclass
                                    and r2.ev_class <> v.oid)
                  and not exists (select from pg_catalog.pg_trigger g where g.tgrelid = v.oid)
                  and not exists (select from pg_catalog.pg_rewrite r3 where r3.ev_class = v.oid and r3.rulename <> '_RETURN'))
             as recreatable,
           format('drop %s %I.%I;', case when v.relkind = 'm' then 'materialized view' else 'view' end,
                  vn.nspname, v.relname) as drop_sql,
           (
-- include: view_create
           ) as create_sql
    from pg_catalog.pg_depend d
    join pg_catalog.pg_rewrite r on r.oid = d.objid
    join pg_catalog.pg_class v on v.oid = r.ev_class
    join pg_catalog.pg_namespace vn on vn.oid = v.relnamespace
    where d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
      and d.refobjsubid > 0
    union all
    -- another column's generation expression and a row-level security policy: PostgreSQL refuses
    -- ALTER COLUMN TYPE under both, and neither is dropped and recreated here
    select d.refobjid, d.refobjsubid, format('generated column %I', g.attname), false, null, null
    from pg_catalog.pg_depend d
    join pg_catalog.pg_attrdef ad on ad.oid = d.objid
    join pg_catalog.pg_attribute g on g.attrelid = ad.adrelid and g.attnum = ad.adnum
    where d.classid = 'pg_catalog.pg_attrdef'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
      and d.deptype = 'n' and d.refobjsubid > 0 and ad.adnum <> d.refobjsubid and g.attgenerated <> ''
    union all
    -- (before PostgreSQL 15 that dependency is the generated column's own, on the table's other
    -- column; the version test is a one-time filter, so later majors skip the scan)
    select d.refobjid, d.refobjsubid, format('generated column %I', g.attname), false, null, null
    from pg_catalog.pg_depend d
    join pg_catalog.pg_attribute g on g.attrelid = d.objid and g.attnum = d.objsubid
    where pg_catalog.current_setting('server_version_num')::int < 150000
      and d.classid = 'pg_catalog.pg_class'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
      and d.objid = d.refobjid and d.objsubid > 0 and d.refobjsubid > 0 and d.objsubid <> d.refobjsubid
      and d.deptype = 'a' and g.attgenerated <> ''
    union all
    -- a trigger whose UPDATE OF list or WHEN clause names the column: refused the same way
    select d.refobjid, d.refobjsubid, format('trigger %I on %I.%I', tg.tgname, tn.nspname, tc.relname), false, null, null
    from pg_catalog.pg_depend d
    join pg_catalog.pg_trigger tg on tg.oid = d.objid
    join pg_catalog.pg_class tc on tc.oid = tg.tgrelid
    join pg_catalog.pg_namespace tn on tn.oid = tc.relnamespace
    where d.classid = 'pg_catalog.pg_trigger'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
      and d.refobjsubid > 0
    union all
    select d.refobjid, d.refobjsubid, format('policy %I on %I.%I', pl.polname, pn.nspname, pc.relname), false, null, null
    from pg_catalog.pg_depend d
    join pg_catalog.pg_policy pl on pl.oid = d.objid
    join pg_catalog.pg_class pc on pc.oid = pl.polrelid
    join pg_catalog.pg_namespace pn on pn.oid = pc.relnamespace
    where d.classid = 'pg_catalog.pg_policy'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
      and d.refobjsubid > 0
  ) u
  group by u.table_oid, u.attnum
)
