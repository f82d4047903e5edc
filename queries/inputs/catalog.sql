-- id: catalog
-- kind: input
-- title: The schema's catalog, compact
-- rationale: Every snapshot records the schema it audited, so the history can tell how the
--   schema got where it is: what was added, dropped, renamed or altered between two audits
--   (schema-audit changelog, the report's schema changes, diff). Read by no check: the runner
--   reads it once per audit, on its last session while the others run the first checks (after
--   the checks when there is one session), in the audit's exported snapshot (catalog
--   functions only, which lock nothing above ACCESS SHARE); if it fails, the snapshot has no
--   catalog and the audit is kept.
--
-- One row per object outside the system schemas and extensions: kind (table, column, index,
-- constraint, view, function, extension, sequence), oid and sub (the key a rename keeps: a column
-- is its table's oid and its attnum, every other object its own oid and 0), label (the object
-- quoted as the checks quote labels, format('%I.%I.%I')), name (its own name, unquoted; a
-- function's with its argument types), then its attributes, what a change of the object is read
-- from: attr_names (their names, separated by spaces) and a1..a10 (their text values in that order,
-- null for none). audit/read_catalog.cpp makes them the object's attrs, a JSON object with its keys
-- sorted, a null value left out. Plain columns rather than that JSON object: building it here
-- (json_build_object, json_strip_nulls) and parsing it again in the client cost 180 ms of server
-- CPU and 100 ms of client CPU on the 1,000-schema benchmark. Views and materialized views keep an
-- md5 of their definition, functions of their body. A constraint's definition is
-- pg_get_constraintdef()'s, less the " NOT VALID" read_catalog drops (validated says that, and a
-- validation should change that alone). An index's columns come as attnums (keys, with its table's
-- oid in table_oid and the key count in key_count): audit/read_catalog.cpp names them from the
-- columns read here and writes its definition ("USING btree (a, b DESC) INCLUDE (c)"), since
-- pg_get_indexdef() took a second for 22,000 indexes, most of this query's time. What follows a
-- key's name comes in key_extras (a JSON array, a text per key), spelled as pg_get_indexdef()
-- spells it: a collation other than the column's (an expression's taken as the database's), an
-- operator class not its type's default (not opcdefault), an opclass's options (siglen=32: looked
-- for in gist indexes, whose default classes take options; other methods' options come with
-- non-default classes); computed only for the few indexes that may have one (one array test each,
-- no time measurable on the 1,000-schema benchmark), null for the others. Not spelled: COLLATE
-- "default" on a column of another collation (finding it would read pg_attribute per index). Labels
-- are quoted once per relation (label || '.' || quote_ident(...)). Left out: the sequences of
-- identity columns (they go with their column), NOT NULL constraints (PostgreSQL 18 lists them in
-- pg_constraint; a column's not_null says the same on every major) and the objects of other
-- sessions' temporary schemas.
-- The rows come in no order: model::AuditCatalog orders the keys itself, and an order by here
-- was a sort of the whole result on disk (75 ms of the 1,000-schema benchmark's 1.1 s).
with rel as (
  select c.oid, c.relname, c.relkind, c.relpersistence, c.relispartition, c.relam,
         format('%I.%I', n.nspname, c.relname) as label
  from pg_catalog.pg_class c
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  where c.relkind in ('r', 'p', 'f', 'v', 'm', 'S')
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and c.oid not in (
      -- include: extension_relations
    )
), tbl as (
  select * from rel where relkind in ('r', 'p', 'f')
)
select 'table' as kind, t.oid::bigint as oid, 0 as sub, t.label, t.relname as name,
       'kind persistence partition_key partition_of' as attr_names,
       case t.relkind when 'p' then 'partitioned' when 'f' then 'foreign' else 'plain' end as a1,
       case t.relpersistence when 'u' then 'unlogged' else 'permanent' end as a2,
       case when t.relkind = 'p' then pg_catalog.pg_get_partkeydef(t.oid) end as a3,
       case when t.relispartition then
         (select format('%I.%I', pn.nspname, p.relname)
          from pg_catalog.pg_inherits i
          join pg_catalog.pg_class p on p.oid = i.inhparent
          join pg_catalog.pg_namespace pn on pn.oid = p.relnamespace
          where i.inhrelid = t.oid) end as a4,
       null::text as a5, null::text as a6, null::text as a7, null::text as a8, null::text as a9, null::text as a10
from tbl t
union all
select 'column', t.oid::bigint, a.attnum, t.label || '.' || quote_ident(a.attname), a.attname,
       'type not_null default identity generated',
       pg_catalog.format_type(a.atttypid, a.atttypmod),
       case when a.attnotnull then 'yes' else 'no' end,
       -- a default refers to no column (PostgreSQL refuses one that does), so it is deparsed
       -- without its table, to the same text: pg_get_expr(adbin, adrelid) opens and closes the
       -- table for every default (10,000 on the 1,000-schema benchmark: 120 ms of CPU)
       case when a.atthasdef and a.attgenerated = '' then pg_catalog.pg_get_expr(ad.adbin, 0) end,
       case a.attidentity when 'a' then 'always' when 'd' then 'by default' end,
       case when a.attgenerated <> '' then pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) end,
       null, null, null, null, null
from tbl t
join pg_catalog.pg_attribute a on a.attrelid = t.oid and a.attnum > 0 and not a.attisdropped
left join pg_catalog.pg_attrdef ad on a.atthasdef and ad.adrelid = a.attrelid and ad.adnum = a.attnum
union all
select 'index', x.indexrelid::bigint, 0, t.label || '.' || quote_ident(i.relname), i.relname,
       'unique method table_oid keys key_count options expressions where key_extras valid',
       case when x.indisunique then 'yes' else 'no' end,
       am.amname,
       x.indrelid::text,
       x.indkey::text,
       x.indnkeyatts::text,
       x.indoption::text,
       pg_catalog.pg_get_expr(x.indexprs, x.indrelid),
       pg_catalog.pg_get_expr(x.indpred, x.indrelid),
       case when x.indclass::oid[] operator(pg_catalog.&&) array(select oid from pg_catalog.pg_opclass where not opcdefault)
                              or not x.indcollation::oid[] operator(pg_catalog.<@) '{0,100}'::oid[]
                              or (am.amname = 'gist' and exists (select from pg_catalog.pg_attribute ia
                                                                 where ia.attrelid = x.indexrelid
                                                                   and ia.attoptions is not null)) then
           (select json_agg(concat(
                     case when k.coll not in (0, coalesce(ta.attcollation, 100)) then
                       ' COLLATE ' || case when pg_catalog.pg_collation_is_visible(co.oid) then quote_ident(co.collname)
                                           else format('%I.%I', cn.nspname, co.collname) end end,
                     case when not oc.opcdefault or ia.attoptions is not null then
                       ' ' || case when pg_catalog.pg_opclass_is_visible(oc.oid) then quote_ident(oc.opcname)
                                   else format('%I.%I', ocn.nspname, oc.opcname) end end,
                     ' (' || (select string_agg(quote_ident(o.name) || '=' ||
                                                case when quote_ident(o.value) = o.value then o.value
                                                     else quote_literal(o.value) end, ', ')
                              from pg_catalog.unnest(ia.attoptions) a(option),
                                   lateral (select split_part(a.option, '=', 1) as name,
                                                   substr(a.option, strpos(a.option, '=') + 1) as value) o) || ')')
                     order by k.ord)
            from rows from (pg_catalog.unnest(x.indclass::oid[]), pg_catalog.unnest(x.indcollation::oid[]))
                 with ordinality k(opclass, coll, ord)
            join pg_catalog.pg_opclass oc on oc.oid = k.opclass
            join pg_catalog.pg_namespace ocn on ocn.oid = oc.opcnamespace
            left join pg_catalog.pg_collation co on co.oid = k.coll
            left join pg_catalog.pg_namespace cn on cn.oid = co.collnamespace
            left join pg_catalog.pg_attribute ta on ta.attrelid = x.indrelid and ta.attnum = x.indkey[k.ord - 1]
                                                and ta.attnum > 0
            left join pg_catalog.pg_attribute ia on ia.attrelid = x.indexrelid and ia.attnum = k.ord) end::text,
       case when x.indisvalid then 'yes' else 'no' end
from tbl t
join pg_catalog.pg_index x on x.indrelid = t.oid
join pg_catalog.pg_class i on i.oid = x.indexrelid
join pg_catalog.pg_am am on am.oid = i.relam
union all
select 'constraint', k.oid::bigint, 0, t.label || '.' || quote_ident(k.conname), k.conname,
       'type definition validated',
       case k.contype when 'p' then 'primary key' when 'u' then 'unique' when 'f' then 'foreign key'
                      when 'c' then 'check' when 'x' then 'exclusion' else k.contype::text end,
       pg_catalog.pg_get_constraintdef(k.oid),
       case when k.convalidated then 'yes' else 'no' end,
       null, null, null, null, null, null, null
from tbl t
join pg_catalog.pg_constraint k on k.conrelid = t.oid and k.contype in ('p', 'u', 'f', 'c', 'x')
union all
select 'view', v.oid::bigint, 0, v.label, v.relname,
       'kind definition_md5',
       case v.relkind when 'm' then 'materialized' else 'plain' end,
       md5(pg_catalog.pg_get_viewdef(v.oid)),
       null, null, null, null, null, null, null, null
from rel v
where v.relkind in ('v', 'm')
union all
select 'function', p.oid::bigint, 0,
       format('%I.%I(%s)', n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)),
       format('%s(%s)', p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)),
       'kind returns language security_definer search_path body_md5',
       case p.prokind when 'p' then 'procedure' else 'function' end,
       pg_catalog.pg_get_function_result(p.oid),
       l.lanname,
       case when p.prosecdef then 'yes' else 'no' end,
       (select substring(c from 13) from pg_catalog.unnest(p.proconfig) c where c like 'search_path=%'),
       md5(p.prosrc),
       null, null, null, null
from pg_catalog.pg_proc p
join pg_catalog.pg_namespace n on n.oid = p.pronamespace
join pg_catalog.pg_language l on l.oid = p.prolang
where p.prokind in ('f', 'p')
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp_)'
  and not exists (select 1 from pg_catalog.pg_depend d
                  where d.classid = 'pg_catalog.pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
union all
select 'extension', e.oid::bigint, 0, format('%I', e.extname), e.extname,
       'version schema', e.extversion, n.nspname,
       null, null, null, null, null, null, null, null
from pg_catalog.pg_extension e
join pg_catalog.pg_namespace n on n.oid = e.extnamespace
union all
-- a sequence a column owns (serial): its dependency 'a' on the column; an identity's ('i') is
-- left out with its sequence
select 'sequence', s.oid::bigint, 0, s.label, s.relname,
       'type owned_by',
       pg_catalog.format_type(q.seqtypid, null),
       ot.label || '.' || quote_ident(oa.attname),
       null, null, null, null, null, null, null, null
from rel s
join pg_catalog.pg_sequence q on q.seqrelid = s.oid
left join pg_catalog.pg_depend d on d.classid = 'pg_catalog.pg_class'::regclass and d.objid = s.oid
                                and d.refclassid = 'pg_catalog.pg_class'::regclass and d.deptype in ('a', 'i')
left join rel ot on ot.oid = d.refobjid
left join pg_catalog.pg_attribute oa on oa.attrelid = d.refobjid and oa.attnum = d.refobjsubid
where s.relkind = 'S'
  and d.deptype is distinct from 'i'
