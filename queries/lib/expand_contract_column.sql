-- The expand-contract move of one column to another type, as lateral joins: a new column kept in
-- sync by a trigger, a batched backfill, a guarded swap that keeps the old column as
-- deprecated_<name>, and its undo. Included by type_money, type_char_n, type_json and int_overflow after
-- n (pg_namespace), t (pg_class), a (pg_attribute: the column) and tc (new_type: the type it
-- moves to, as SQL; suffix: the new column is <column>_<suffix>). Yields:
--   nt.new_type  tc.new_type as a regtype, resolved once per column
--   rd.names  the views, materialized views and rules that read the column (they keep reading
--             the old column after the renames of the swap and block its drop, so the swap
--             drops them and makes them again over the new column in its transaction: mv)
--   oc        the table's own foreign keys and CHECK constraints over the column that the swap
--             moves (read at the swap with every name qualified, dropped before the renames,
--             added again by name after them NOT VALID, validated in step 3b)
--   mv        the views and materialized views the swap drops and makes again (rule_oids): those
--             read by no other view or rule, with no trigger or rule of their own
--   mi        the plain indexes on the column (no expression, predicate or constraint; the column
--             under its type's default operator class): step 2c builds each again on the new
--             column, concurrently (mi.new_names, fitted next to the old names); the swap checks
--             they are valid and swaps the names (mi.rename_sql: each old index becomes
--             deprecated_<name>, its copy takes the name), and the old ones go with the old
--             column's drop
--   dm        the column's identity (an increasing one), default and owned sequence: the swap moves
--             them to the new column in its transaction (the identity made again under its
--             sequence's name, from the next value; the default cast to the new type)
--   us.names  what else uses the column and must move to the new one before the swap: indexes
--             mi cannot move, constraints oc cannot, views mv cannot, a decreasing identity, a
--             trigger no session can keep from firing (ut), an index of a partition alone (on the
--             first level), a partition key (NOT NULL moves with the swap: the new column gets a
--             validated CHECK first, then SET NOT NULL in the swap uses it and skips the scan).
--             While there is any, the remediation is advice only (comments: no part of the change)
--   ut        the table's triggers that fire for each row on any UPDATE (lib/update_triggers.sql):
--             the backfill would fire them on every row (an updated_at rewritten, audit rows
--             written); the backfill's session keeps them from firing (session_replication_role
--             = replica, a superuser's: without it the backfill stops, and the swap with it);
--             ENABLE ALWAYS or REPLICA ones hold the move back (us)
--   rtr.warning  the functions that return the table's rows, which its new column may break
--             (lib/row_type_returners.sql), printed before step 1
--   nm        old_name (deprecated_<column>), sync_name (<table>_<column>_sync) and check_name
--             (<table>_<new column>_not_null), fitted to 63 bytes (fitted_names; the old column's
--             also free among the table's columns; the sync function is created or replaced, and
--             the trigger and the check created where missing, so a second run reuses them);
--             key_index (<table>_<new column>_key, free among the schema's relations: for a
--             caller that moves a key); new_column (<column>_<suffix>); length_limit and
--             length_check (<table>_<column>_length): a char(n) column's limit of n characters,
--             which a move to text would drop, kept as a check on the new column (step 2d,
--             validated without blocking writes; the swap waits for it)
--   ec.remediation, ec.undo  the runbook and how to roll it back
-- the new type's oid, resolved once per column (offset 0 keeps it a subquery: pulled up, it
-- would be to_regtype() again at every use, parsing the type name for each row scanned)
cross join lateral (select pg_catalog.to_regtype(tc.new_type) as new_type offset 0) nt
-- the table, as the fragments below name it
cross join lateral (select t.oid as relid, n.nspname, t.relname) rt
cross join lateral (
  select string_agg(distinct format('%s %I.%I', case when r.ev_class = d.refobjid then 'rule ' || r.rulename || ' on'
                                                      when v.relkind = 'm' then 'materialized view' else 'view' end,
                                    vn.nspname, v.relname), ', ') as names
  from pg_catalog.pg_depend d
  join pg_catalog.pg_rewrite r on r.oid = d.objid
  join pg_catalog.pg_class v on v.oid = r.ev_class
  join pg_catalog.pg_namespace vn on vn.oid = v.relnamespace
  where d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
    and d.refobjid = t.oid and d.refobjsubid = a.attnum) rd
cross join lateral (select array['deprecated_' || a.attname, t.relname || '_' || a.attname || '_sync',
                                 t.relname || '_' || a.attname || '_' || tc.suffix || '_not_null',
                                 t.relname || '_' || a.attname || '_' || tc.suffix || '_key',
                                 t.relname || '_' || a.attname || '_length'] as bases,
                           array[exists (select from pg_catalog.pg_attribute o
                                         where o.attrelid = t.oid and o.attname = 'deprecated_' || a.attname),
                                 false,
                                 false,
                                 exists (select from pg_catalog.pg_class o where o.relnamespace = t.relnamespace
                                         and o.relname = t.relname || '_' || a.attname || '_' || tc.suffix || '_key'),
                                 false] as taken) fit
-- include: fitted_names
cross join lateral (select fitted.names[1] as old_name, fitted.names[2] as sync_name, fitted.names[3] as check_name,
                           fitted.names[4] as key_index, a.attname || '_' || tc.suffix as new_column,
                           fitted.names[5] as length_check,
                           -- char(n)'s limit of n characters, which text does not keep: a check keeps it
                           case when a.atttypid = 'pg_catalog.bpchar'::regtype and a.atttypmod > 4
                                     and nt.new_type in ('pg_catalog.text'::regtype, 'pg_catalog.varchar'::regtype)
                                then a.atttypmod - 4 end as length_limit) nm
-- include: row_type_returners
-- the primary key or unique constraint on the column alone (km), which the swap moves to a unique
-- index on the new column (key_index, built in step 2c), dropping the foreign keys that
-- reference it and adding them again after the renames, NOT VALID, validated after: on a plain
-- table, not deferrable, the column in no other key, referenced from plain tables only
left join lateral (
  with fks as (
    -- the foreign keys that reference the key: those that depend on its index (pg_depend is
    -- indexed by what is depended on; pg_constraint is not by confrelid)
    select f.oid, f.conname, f.convalidated, cn.nspname, cc.relname, cc.relkind, f.conindid
    from pg_catalog.pg_constraint k0
    join pg_catalog.pg_depend d on d.classid = 'pg_catalog.pg_constraint'::regclass
                               and d.refclassid = 'pg_catalog.pg_class'::regclass and d.refobjid = k0.conindid
    join pg_catalog.pg_constraint f on f.oid = d.objid and f.contype = 'f' and f.confrelid = t.oid
    join pg_catalog.pg_class cc on cc.oid = f.conrelid
    join pg_catalog.pg_namespace cn on cn.oid = cc.relnamespace
    where k0.conrelid = t.oid and k0.contype in ('p', 'u') and k0.conkey = array[a.attnum]
  )
  select k.oid as con_oid, k.conname, case k.contype when 'p' then 'primary key' else 'unique' end as kind,
         coalesce((select array_agg(f.oid) from fks f), '{}') as fk_oids,
         (select string_agg(format('alter table %I.%I validate constraint %I;', f.nspname, f.relname, f.conname), E'\n'
                            order by f.nspname, f.relname, f.conname)
          from fks f where f.convalidated) as validate_sql
  from pg_catalog.pg_constraint k
  where k.conrelid = t.oid and k.contype in ('p', 'u') and k.conkey = array[a.attnum] and not k.condeferrable
    and t.relkind = 'r'
    and (select count(*) from pg_catalog.pg_constraint o
         where o.conrelid = t.oid and o.contype in ('p', 'u', 'x') and a.attnum = any (o.conkey)) = 1
    and not exists (select from fks f where f.relkind <> 'r')
    -- every referencing column compares with the new type (an equality operator of the default
    -- B-tree family of the new type, or an implicit cast to it): else ADD FOREIGN KEY refuses it
    -- after the swap (money against numeric) and the key stays where it is
    and not exists (select from fks f
                    join pg_catalog.pg_constraint fc on fc.oid = f.oid
                    cross join lateral unnest(fc.conkey, fc.confkey) as k(att, ref)
                    join pg_catalog.pg_attribute ca on ca.attrelid = fc.conrelid and ca.attnum = k.att
                    where k.ref = a.attnum
                      and ca.atttypid <> nt.new_type
                      and not exists (select from pg_catalog.pg_opclass op
                                      join pg_catalog.pg_amop o on o.amopfamily = op.opcfamily
                                      where op.opcmethod = (select am.oid from pg_catalog.pg_am am where am.amname = 'btree')
                                        and op.opcdefault and op.opcintype = nt.new_type
                                        and o.amoplefttype = op.opcintype and o.amoprighttype = ca.atttypid
                                        and o.amopstrategy = 3)
                      and not exists (select from pg_catalog.pg_cast c where c.castsource = ca.atttypid
                                      and c.casttarget = nt.new_type and c.castcontext = 'i'))) km on true
-- the table's own foreign keys and CHECK constraints over the column (oc), which the swap moves to
-- the new column: their definitions read in the swap with every name qualified, dropped before
-- the renames and added again by name after them (so they bind to the new column), NOT VALID,
-- validated in step 3b. From a plain table only (a partitioned one refuses NOT VALID foreign keys
-- before PostgreSQL 18). A foreign key moves when its parent's key compares with the new type
-- (an equality operator of the key index's family, or an implicit cast to the key's type: what
-- ADD FOREIGN KEY accepts); a CHECK when the old type casts to the new one implicitly (char(n) to
-- text, integer to bigint), so its expression resolves on the new type as it did on the old one.
-- money does not (its constants and operators do not apply to numeric): such a CHECK stays a user
-- of the column, to rewrite by hand
cross join lateral (
  select coalesce(array_agg(c.oid), '{}') as oids,
         string_agg(format('alter table %I.%I validate constraint %I;', n.nspname, t.relname, c.conname), E'\n'
                    order by c.conname) filter (where c.convalidated) as validate_sql
  from pg_catalog.pg_constraint c
  where c.conrelid = t.oid and a.attnum = any (c.conkey) and t.relkind = 'r'
    and ((c.contype = 'c'
          and exists (select from pg_catalog.pg_cast k where k.castsource = a.atttypid
                      and k.casttarget = nt.new_type and k.castcontext = 'i'))
         or (c.contype = 'f' and not (c.confrelid = t.oid and a.attnum = any (c.confkey))
             and exists (select from unnest(c.conkey, c.confkey) as k(att, ref)
                         join pg_catalog.pg_index x on x.indexrelid = c.conindid
                         join pg_catalog.pg_opclass op on op.oid = (x.indclass::oid[])[array_position(x.indkey::int2[], k.ref)]
                         where k.att = a.attnum
                           and (op.opcintype = nt.new_type
                                or exists (select from pg_catalog.pg_amop o where o.amopfamily = op.opcfamily
                                           and o.amoplefttype = op.opcintype and o.amoprighttype = nt.new_type
                                           and o.amopstrategy = 3)
                                or exists (select from pg_catalog.pg_cast k2 where k2.castsource = nt.new_type
                                           and k2.casttarget = op.opcintype and k2.castcontext = 'i')))))) oc
-- the views and materialized views that read the column and that the swap drops and makes again
-- over the new column (mv: their rules): each read by no other view or rule, with no trigger and
-- no rule of its own beside its definition, so dropping it loses nothing the swap does not make
-- again (definition, options, owner, grants, comments, a materialized view's indexes and data)
cross join lateral (
  select coalesce(array_agg(r.oid), '{}') as rule_oids,
         bool_or(v.relkind = 'm') as has_materialized
  from pg_catalog.pg_depend d
  join pg_catalog.pg_rewrite r on r.oid = d.objid
  join pg_catalog.pg_class v on v.oid = r.ev_class
  where d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
    and d.refobjid = t.oid and d.refobjsubid = a.attnum
    and r.ev_class <> t.oid and r.rulename = '_RETURN' and v.relkind in ('v', 'm')
    and not exists (select from pg_catalog.pg_depend d2
                    join pg_catalog.pg_rewrite r2 on r2.oid = d2.objid
                    where d2.classid = 'pg_catalog.pg_rewrite'::regclass and d2.refclassid = 'pg_catalog.pg_class'::regclass
                      and d2.refobjid = v.oid and r2.ev_class <> v.oid)
    and not exists (select from pg_catalog.pg_trigger g where g.tgrelid = v.oid)
    and not exists (select from pg_catalog.pg_rewrite r3 where r3.ev_class = v.oid and r3.rulename <> '_RETURN')) mv
-- the plain indexes on the column (no expression or predicate, no constraint behind them, the
-- column under the default operator class of its type, which the new type has too) move to the
-- new column: each one built again on it, concurrently, under a name fitted next to the old one;
-- one that another of them covers (a non-unique B-tree without INCLUDE whose keys lead another's,
-- or its twin) is not built again: duplicate_index and redundant_index report it on the old column
cross join lateral (
  with plain as (
    select x.indexrelid as oid, ic.relname as old_name, fitted.names[1] as new_name, fitted.names[2] as deprecated_name,
           am.amname as am, x.indisunique as uniq,
           x.indnkeyatts as nkey, x.indnatts as natts, x.indkey::int2[] as keys, x.indclass::oid[] as classes,
           x.indoption::int2[] as options,
           format('create %sindex concurrently if not exists %I on %I.%I using %I (%s)%s%s%s%s;',
                  case when x.indisunique then 'unique ' else '' end, fitted.names[1], n.nspname, t.relname, am.amname,
                  cl.keys, ' include (' || cl.included || ')',
                  case when to_jsonb(x) ->> 'indnullsnotdistinct' = 'true' then ' nulls not distinct' else '' end,
                  ' with (' || array_to_string(ic.reloptions, ', ') || ')',
                  (select format(' tablespace %I', ts.spcname) from pg_catalog.pg_tablespace ts where ts.oid = ic.reltablespace)) as create_sql
    from pg_catalog.pg_index x
    join pg_catalog.pg_class ic on ic.oid = x.indexrelid
    join pg_catalog.pg_am am on am.oid = ic.relam
    cross join lateral (
      select string_agg(case when k.attnum = a.attnum then quote_ident(nm.new_column) else quote_ident(c.attname) end
                        || coalesce((select format(' %I.%I', ocn.nspname, oc.opcname) from pg_catalog.pg_opclass oc
                                     join pg_catalog.pg_namespace ocn on ocn.oid = oc.opcnamespace
                                     where oc.oid = k.opclass and not oc.opcdefault and k.attnum <> a.attnum), '')
                        || case when k.coll not in (0, c.attcollation) and k.attnum <> a.attnum
                                then (select format(' collate %I.%I', cn.nspname, co.collname) from pg_catalog.pg_collation co
                                      join pg_catalog.pg_namespace cn on cn.oid = co.collnamespace where co.oid = k.coll) else '' end
                        || case when k.opt & 1 = 1 then ' desc' || case when k.opt & 2 = 0 then ' nulls last' else '' end
                                when k.opt & 2 = 2 then ' nulls first' else '' end,
                        ', ' order by k.pos) filter (where k.pos <= x.indnkeyatts) as keys,
             string_agg(case when k.attnum = a.attnum then quote_ident(nm.new_column) else quote_ident(c.attname) end,
                        ', ' order by k.pos) filter (where k.pos > x.indnkeyatts) as included,
             bool_and(k.attnum <> a.attnum or k.pos > x.indnkeyatts
                      or (k.coll in (0, 100)
                          and exists (select from pg_catalog.pg_opclass oc where oc.oid = k.opclass and oc.opcdefault)
                          and exists (select from pg_catalog.pg_opclass oc where oc.opcmethod = am.oid and oc.opcdefault
                                      and oc.opcintype = nt.new_type))) as movable
      from unnest(x.indkey::int2[], x.indclass::oid[], x.indcollation::oid[], x.indoption::int2[])
             with ordinality as k(attnum, opclass, coll, opt, pos)
      join pg_catalog.pg_attribute c on c.attrelid = t.oid and c.attnum = k.attnum) cl
    cross join lateral (select array[ic.relname || '_' || tc.suffix, 'deprecated_' || ic.relname] as bases,
                               array[exists (select from pg_catalog.pg_class o where o.relnamespace = t.relnamespace
                                             and o.relname = ic.relname || '_' || tc.suffix),
                                     exists (select from pg_catalog.pg_class o where o.relnamespace = t.relnamespace
                                             and o.relname = 'deprecated_' || ic.relname)] as taken) fit
    -- include: fitted_names
    where x.indrelid = t.oid and a.attnum = any (x.indkey::int2[])
      and x.indexprs is null and x.indpred is null and x.indisvalid
      and not exists (select from pg_catalog.pg_constraint k where k.conrelid = t.oid and k.conindid = x.indexrelid)
      and cl.movable
  ),
  built as (
    -- the unique index the moved key will use (km), first
    select 0::oid as oid, nm.key_index as new_name,
           format('create unique index concurrently if not exists %I on %I.%I (%I);', nm.key_index, n.nspname, t.relname, nm.new_column)
             as create_sql
    where km.con_oid is not null
    union all
    select p.oid, p.new_name, p.create_sql
    from plain p
    where not exists (select from plain q
                      where q.oid <> p.oid and q.am = p.am and p.am = 'btree' and not p.uniq and p.natts = p.nkey
                        and q.nkey >= p.nkey
                        and q.keys[0:p.nkey - 1] = p.keys[0:p.nkey - 1]
                        and q.classes[0:p.nkey - 1] = p.classes[0:p.nkey - 1]
                        and q.options[0:p.nkey - 1] = p.options[0:p.nkey - 1]
                        and (q.nkey > p.nkey or q.uniq or q.natts > q.nkey or q.oid < p.oid))
  )
  select (select coalesce(array_agg(p.oid order by p.oid), '{}') from plain p) as oids,
         (select coalesce(array_agg(format('%I.%I', n.nspname, p.old_name) order by p.oid), '{}') from plain p) as old_names,
         (select coalesce(array_agg(format('%I.%I', n.nspname, b.new_name) order by b.oid), '{}') from built b) as new_names,
         (select string_agg(concat_ws(E'\n', b.create_sql,
                              format(E'do $$\nbegin\n  if exists (select from pg_catalog.pg_index x where x.indexrelid = pg_catalog.to_regclass(%L) and not x.indisvalid) then\n'
                                     '    drop index %I.%I;\n'
                                     '    raise warning ''%% was left invalid by a failed build and is dropped: run this script again'', %L;\n'
                                     '  end if;\nend $$;',
                                     format('%I.%I', n.nspname, b.new_name), n.nspname, b.new_name, format('%I.%I', n.nspname, b.new_name))),
                            E'\n' order by b.oid)
          from built b) as build_sql,
         -- at the swap, after the column renames: each old index takes deprecated_<its name> (it
         -- stays on the old column until that column's drop takes it along) and the index built
         -- for it on the new column takes its name, so the moved column's indexes keep theirs
         (select string_agg(concat_ws(E'\n',
                              format('  alter index if exists %I.%I rename to %I;', n.nspname, p.old_name, p.deprecated_name),
                              (select format('  alter index %I.%I rename to %I;', n.nspname, b.new_name, p.old_name)
                               from built b where b.oid = p.oid)),
                            E'\n' order by p.oid)
          from plain p) as rename_sql,
         -- the same renames back, for the undo after the swap
         (select string_agg(concat_ws('; ',
                              (select format('alter index %I.%I rename to %I', n.nspname, p.old_name, b.new_name)
                               from built b where b.oid = p.oid),
                              format('alter index %I.%I rename to %I', n.nspname, p.deprecated_name, p.old_name)),
                            '; ' order by p.oid)
          from plain p) as rename_back) mi
-- the column's default, identity and owned sequence, which the swap moves to the new column: an
-- identity made again on it under its sequence's name from the next value (increasing sequences
-- only), a default cast to the new type, a sequence's ownership
cross join lateral (
  select case when sq.seqincrement > 0 then case a.attidentity when 'a' then 'always' when 'd' then 'by default' end end
           as identity_kind,
         case when a.attgenerated = '' and a.attidentity = '' then
           (select e.expr from pg_catalog.pg_attrdef ad
            cross join lateral (select pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) as expr) e
            where ad.adrelid = t.oid and ad.adnum = a.attnum and strpos(e.expr, '$$') = 0) end as expr,
         sd.objid as seq_oid, sn.nspname as seq_schema, sc.relname as seq_name,
         sq.seqincrement as increment, sq.seqcache as cache, sq.seqcycle as cycle
  from (select) one
  left join pg_catalog.pg_depend sd on sd.classid = 'pg_catalog.pg_class'::regclass
        and sd.refclassid = 'pg_catalog.pg_class'::regclass and sd.refobjid = t.oid and sd.refobjsubid = a.attnum
        and sd.deptype in ('a', 'i')
        and exists (select from pg_catalog.pg_class x where x.oid = sd.objid and x.relkind = 'S')
  left join pg_catalog.pg_sequence sq on sq.seqrelid = sd.objid
  left join pg_catalog.pg_class sc on sc.oid = sd.objid
  left join pg_catalog.pg_namespace sn on sn.oid = sc.relnamespace
  limit 1) dm
-- the table's own update triggers (lib/update_triggers.sql): those enabled as usual are kept from
-- firing in the backfill's session; those ENABLE ALWAYS or REPLICA hold the move back (us)
-- include: update_triggers
-- the backfill of the new column (lib/batched_backfill.sql), in that session
cross join lateral (select n.nspname, t.relname,
                           format('%I = %I::%s', nm.new_column, a.attname, tc.new_type) as assignment,
                           format('%I is null and %I is not null', nm.new_column, a.attname) as pending) bfi
-- include: batched_backfill
cross join lateral (
  select string_agg(distinct u, ', ') as names, count(distinct u) as count
  from (select pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid) as u
        from pg_catalog.pg_depend d
        where d.refclassid = 'pg_catalog.pg_class'::regclass and d.refobjid = t.oid and d.refobjsubid = a.attnum
          and d.deptype in ('n', 'a')
          -- an index moved to the new column (mi), the column's own default and its sequence (dm),
          -- its key and the foreign keys that reference it (km) no longer hold the swap back
          and not (d.classid = 'pg_catalog.pg_class'::regclass and d.objid = any (mi.oids))
          and not (d.classid = 'pg_catalog.pg_attrdef'::regclass and dm.expr is not null
                   and exists (select from pg_catalog.pg_attrdef x where x.oid = d.objid and x.adnum = a.attnum))
          and not (d.classid = 'pg_catalog.pg_class'::regclass and d.objid = coalesce(dm.seq_oid, 0) and dm.identity_kind is null)
          and not (d.classid = 'pg_catalog.pg_constraint'::regclass
                   and (d.objid = coalesce(km.con_oid, 0) or d.objid = any (coalesce(km.fk_oids, '{}'))))
          -- the table's own foreign keys and checks (oc) and the views (mv) the swap moves
          and not (d.classid = 'pg_catalog.pg_constraint'::regclass and d.objid = any (oc.oids))
          and not (d.classid = 'pg_catalog.pg_rewrite'::regclass and d.objid = any (mv.rule_oids))
          -- a NOT NULL constraint (PostgreSQL 18 records them) moves with the swap; one added NOT VALID
          -- does not (the new column's NOT NULL would be validated): validate it first
          and not exists (select from pg_catalog.pg_constraint k
                          where d.classid = 'pg_catalog.pg_constraint'::regclass and k.oid = d.objid and k.contype = 'n'
                            and k.convalidated)
        union all
        select ut.always where ut.always is not null
        union all
        -- an index of a partition alone (attached to no index of the parent) over the column: the
        -- swap would leave it on the old column, and the old column's drop would take it along
        select format('index %I.%I of partition %I.%I alone', pn.nspname, pi.relname, pn.nspname, pc.relname)
        from pg_catalog.pg_inherits ih
        join pg_catalog.pg_class pc on pc.oid = ih.inhrelid
        join pg_catalog.pg_namespace pn on pn.oid = pc.relnamespace
        join pg_catalog.pg_attribute pa on pa.attrelid = pc.oid and pa.attname = a.attname
        join pg_catalog.pg_index px on px.indrelid = pc.oid
        join pg_catalog.pg_class pi on pi.oid = px.indexrelid
        where t.relkind = 'p' and ih.inhparent = t.oid
          and not exists (select from pg_catalog.pg_inherits ii where ii.inhrelid = px.indexrelid)
          and exists (select from pg_catalog.pg_depend pd
                      where pd.classid = 'pg_catalog.pg_class'::regclass and pd.objid = px.indexrelid
                        and pd.refclassid = 'pg_catalog.pg_class'::regclass and pd.refobjid = pc.oid
                        and pd.refobjsubid = pa.attnum)
        union all
        select 'its identity (a decreasing sequence)' where a.attidentity <> '' and dm.identity_kind is null
        union all
        -- a partition key column keeps its type: PostgreSQL refuses to change it, or to drop the column
        select format('the partition key of %I.%I', n.nspname, t.relname)
        where exists (select from pg_catalog.pg_partitioned_table pt
                      where pt.partrelid = t.oid
                        and (a.attnum = any (pt.partattrs::int2[])
                             or exists (select from pg_catalog.pg_depend d
                                        where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid
                                          and d.refobjid = t.oid and d.refobjsubid = a.attnum)))) x) us
cross join lateral (
  select case when us.names is not null then concat_ws(E'\n',
           -- advice only (comments, nothing to run: model/remediation_kind.hpp): a part of the change
           -- would leave the finding in place and a new column to clean up
           regexp_replace(format('-- not printed: %s still %s %I, and no safe script moves %s to %s.', us.names,
                                  case when us.count = 1 then 'uses' else 'use' end, a.attname,
                                  case when us.count = 1 then 'it' else 'them' end, tc.new_type),
                          '[\r\n]+', E'\n-- ', 'g'),
           regexp_replace(format('-- The expand-contract move (a new column %I kept in sync by a trigger, a batched backfill, a guarded swap) '
                                 'is printed once nothing else holds the column back: move %s to %I by hand or drop %s, then audit again.',
                                 nm.new_column, case when us.count = 1 then 'it' else 'them' end, nm.new_column,
                                 case when us.count = 1 then 'it' else 'them' end), '[\r\n]+', E'\n-- ', 'g'),
           case when strpos(us.names, 'the partition key of ') > 0 then
             '-- A partition key column cannot change type in place: create a new partitioned table with the new type, attach or copy the partitions into it, and swap the names in one short transaction.' end,
           case when exists (select from pg_catalog.pg_constraint c where c.conrelid = t.oid and c.contype = 'c'
                             and a.attnum = any (c.conkey) and not c.oid = any (oc.oids)) then
             regexp_replace(format('-- A CHECK constraint over %I does not apply to %s as it is (its constants and operators are of %s): '
                                   'add the column %I %s, the check rewritten for it NOT VALID, validate it, and drop the old check.',
                                   a.attname, tc.new_type, format_type(a.atttypid, a.atttypmod), nm.new_column, tc.new_type),
                            '[\r\n]+', E'\n-- ', 'g') end)
         else concat_ws(E'\n',
           case when rd.names is not null then regexp_replace(format('-- %s read the column: the swap drops them and makes them again over the new column in its transaction (definition, options, owner, grants, comments%s)', rd.names,
                                                                     case when mv.has_materialized then '; a materialized view with its indexes, filled again there under the lock of the swap: time it on a copy' else '' end), '[\r\n]+', E'\n-- ', 'g') end,
           regexp_replace(format('-- move %I to %s by expand-contract, not alter column type (a table rewrite under an exclusive lock):', a.attname, tc.new_type), '[\r\n]+', E'\n-- ', 'g'),
           'set lock_timeout = ''5s'';',
           rtr.warning,
           '-- 1. the new column, kept in sync by a trigger while the backfill runs',
           -- added (with the trigger's function) only while the column is still what the audit saw: a
           -- second run after the swap (the column already of the new type) stops here, before it
           -- could add a column, a function and a trigger again
           (select case when strpos(ad.body, '$$') = 0 then format(E'do $$\n%s\n$$;', ad.body) else format('do %L;', ad.body) end
            from (select format(E'begin\n'
                                '  if (select pg_catalog.format_type(c.atttypid, c.atttypmod) from pg_catalog.pg_attribute c\n'
                                '      where c.attrelid = %L::regclass and c.attname = %L and not c.attisdropped) is distinct from %L then\n'
                                '    raise exception ''%%: it is no longer %s (the move has run, or the column changed since the audit): nothing to do; audit again'', %L;\n'
                                '  end if;\n'
                                '  alter table %I.%I add column if not exists %I %s;\n'
                                '  create or replace function %I.%I() returns trigger language plpgsql as %L;\nend',
                                format('%I.%I', n.nspname, t.relname), a.attname, format_type(a.atttypid, a.atttypmod),
                                replace(format_type(a.atttypid, a.atttypmod), '''', ''''''),
                                format('%I.%I.%I', n.nspname, t.relname, a.attname),
                                n.nspname, t.relname, nm.new_column, tc.new_type,
                                n.nspname, nm.sync_name,
                                format(E'\nbegin\n  new.%I := new.%I::%s;\n  return new;\nend\n', nm.new_column, a.attname, tc.new_type)) as body) ad),
           -- created where missing rather than CREATE OR REPLACE TRIGGER, which PostgreSQL 13 lacks
           -- (a second run keeps the trigger: no write goes unsynced meanwhile)
           (select case when strpos(tr.body, '$$') = 0 then format(E'do $$\n%s\n$$;', tr.body) else format('do %L;', tr.body) end
            from (select format(E'begin\n  if not exists (select from pg_catalog.pg_trigger where tgrelid = %L::regclass and tgname = %L)\n'
                                '     and exists (select from pg_catalog.pg_attribute c where c.attrelid = %L::regclass and c.attname = %L and not c.attisdropped) then\n'
                                '    %s;\n  end if;\nend',
                                format('%I.%I', n.nspname, t.relname), nm.sync_name, format('%I.%I', n.nspname, t.relname), nm.new_column,
                                format('create trigger %I before insert or update on %I.%I for each row execute function %I.%I()',
                                       nm.sync_name, n.nspname, t.relname, n.nspname, nm.sync_name)) as body) tr),
           '-- 2. the backfill, 10,000 rows per committed batch until none is left (a DO block that commits: outside a transaction block);',
           '-- the vacuum after it reclaims the old version of every row it updated',
           bf.script,
           format('vacuum %I.%I;', n.nspname, t.relname),
           case when a.attnotnull then concat_ws(E'\n',
             format('-- 2b. %I is NOT NULL: once the backfill is done, the same rule on %I as a check validated without blocking writes', a.attname, nm.new_column),
             format(E'do $$\nbegin\n  if not exists (select from pg_catalog.pg_constraint where conrelid = %L::regclass and conname = %L) then\n'
                    '    alter table %I.%I add constraint %I check (%I is not null) not valid;\n  end if;\nend $$;',
                    format('%I.%I', n.nspname, t.relname), nm.check_name, n.nspname, t.relname, nm.check_name, nm.new_column),
             format('alter table %I.%I validate constraint %I;', n.nspname, t.relname, nm.check_name)) end,
           case when mi.build_sql is not null then concat_ws(E'\n',
             regexp_replace(format('-- 2c. %s on %I, built again on %I without blocking writes (the old ones stay on the old column until it is dropped)',
                                   case when km.con_oid is not null then format('the unique index its %s will use, and the indexes', km.kind)
                                        else 'the indexes' end,
                                   a.attname, nm.new_column), '[\r\n]+', E'\n-- ', 'g'),
             mi.build_sql) end,
           case when nm.length_limit is not null then concat_ws(E'\n',
             regexp_replace(format('-- 2d. %I holds at most %s characters (%s), a limit text does not keep: the same limit on %I as a check validated without blocking writes',
                                   a.attname, nm.length_limit, format_type(a.atttypid, a.atttypmod), nm.new_column), '[\r\n]+', E'\n-- ', 'g'),
             (select case when strpos(lc.body, '$$') = 0 then format(E'do $$\n%s\n$$;', lc.body) else format('do %L;', lc.body) end
              from (select format(E'begin\n  if not exists (select from pg_catalog.pg_constraint where conrelid = %L::regclass and conname = %L) then\n'
                                  '    alter table %I.%I add constraint %I check (pg_catalog.char_length(%I) <= %s) not valid;\n  end if;\nend',
                                  format('%I.%I', n.nspname, t.relname), nm.length_check,
                                  n.nspname, t.relname, nm.length_check, nm.new_column, nm.length_limit) as body) lc),
             format('alter table %I.%I validate constraint %I;', n.nspname, t.relname, nm.length_check)) end,
           case when us.names is null then concat_ws(E'\n',
           '-- 3. the swap, only once no row differs and nothing else (index, constraint, default, view) uses the old column',
           -- (Vaultwarden: after the swap, a positional INSERT into groups wrote its key into deprecated_uuid)
           '--    the column keeps its name but not its place: it is last in the table after it (a SELECT * or an INSERT without a column list sees another order)',
             format(E'do $$\ndeclare\n  differing bigint;\n  users text;\n  next_value bigint;\n  fk_drops text[];\n  fk_adds text[];\n'
                    '  con_drops text[];\n  con_adds text[];\n  view_drops text[];\n  view_adds text[];\n'
                    '  statement text;\nbegin\n%s\nend $$;', concat_ws(E'\n',
               -- what the swap does to the old column's default or identity was written for what the
               -- audit saw: a serial made an identity since (type_serial's fix) stops it here, with
               -- nothing done, instead of failing halfway with PostgreSQL's words
               format(E'  if (select a.attidentity from pg_catalog.pg_attribute a where a.attrelid = %L::regclass and a.attname = %L) is distinct from %L then\n'
                       '    raise exception ''%%: it %s an identity column when this script was made and %s now: audit again for a script that moves it as it is'', %L;\n'
                       '  end if;',
                      format('%I.%I', n.nspname, t.relname), a.attname, a.attidentity,
                      case when a.attidentity = '' then 'was not' else 'was' end,
                      case when a.attidentity = '' then 'is' else 'is not, or of another kind,' end,
                      format('%I.%I.%I', n.nspname, t.relname, a.attname)),
               format(E'  select count(*) into differing from %I.%I where %I is distinct from %I::%s;\n'
                       '  if differing > 0 then\n'
                       '    raise exception ''%%: %% rows differ from %%: run the backfill until it updates no row, then this step again'', %L, differing, %L;\n'
                       '  end if;',
                      n.nspname, t.relname, nm.new_column, a.attname, tc.new_type,
                      format('%I.%I.%I', n.nspname, t.relname, nm.new_column), format('%I.%I.%I', n.nspname, t.relname, a.attname)),
               -- the indexes of step 2c, built and valid, then no longer users of the old column
               case when cardinality(mi.new_names) > 0 then format(
                 E'  if exists (select from unnest(%L::text[]) i where not exists (select from pg_catalog.pg_index x\n'
                  '             where x.indexrelid = pg_catalog.to_regclass(i) and x.indisvalid)) then\n'
                  '    raise exception ''%%: the indexes %% must be built on it first (step 2c), then this step again'', %L, %L;\n'
                  '  end if;',
                 mi.new_names::text, format('%I.%I.%I', n.nspname, t.relname, nm.new_column), array_to_string(mi.new_names, ', ')) end,
               format(E'  -- NOT NULL moves to the new column through its validated check (no scan)\n'
                       '  if exists (select from pg_catalog.pg_attribute where attrelid = %L::regclass and attname = %L and attnotnull) then\n'
                       '    if not exists (select from pg_catalog.pg_constraint where conrelid = %L::regclass and conname = %L and convalidated) then\n'
                       '      raise exception ''%% is NOT NULL: the check %% must be validated on %% first (step 2b; audit again if it is not printed)'', %L, %L, %L;\n'
                       '    end if;\n'
                       '    alter table %I.%I alter column %I set not null;\n'
                       '    alter table %I.%I drop constraint %I;\n'
                       '  end if;',
                      format('%I.%I', n.nspname, t.relname), a.attname,
                      format('%I.%I', n.nspname, t.relname), nm.check_name,
                      format('%I.%I.%I', n.nspname, t.relname, a.attname), nm.check_name, nm.new_column,
                      n.nspname, t.relname, nm.new_column,
                      n.nspname, t.relname, nm.check_name),
               case when nm.length_limit is not null then format(
                 E'  -- the limit of %s characters stays, as the check of step 2d\n'
                  '  if not exists (select from pg_catalog.pg_constraint where conrelid = %L::regclass and conname = %L and convalidated) then\n'
                  '    raise exception ''%%: the check %% must be validated on %% first (step 2d; audit again if it is not printed), then this step again'', %L, %L, %L;\n'
                  '  end if;',
                 nm.length_limit, format('%I.%I', n.nspname, t.relname), nm.length_check,
                 format('%I.%I.%I', n.nspname, t.relname, a.attname), nm.length_check, nm.new_column) end,
               -- the identity, the default and the sequence the column owns move to the new column
               case when dm.identity_kind is not null then format(
                 E'  -- the identity moves: its sequence is made again under its name, from its next value\n'
                  '  select case when is_called then last_value + %s else last_value end into next_value from %I.%I;\n'
                  '  alter table %I.%I alter column %I drop identity;\n'
                  '  execute %L || next_value || %L;',
                 dm.increment, dm.seq_schema, dm.seq_name,
                 n.nspname, t.relname, a.attname,
                 format('alter table %I.%I alter column %I add generated %s as identity (sequence name %I.%I start with ',
                        n.nspname, t.relname, nm.new_column, dm.identity_kind, dm.seq_schema, dm.seq_name),
                 format(' increment by %s cache %s%s)', dm.increment, dm.cache, case when dm.cycle then ' cycle' else '' end)) end,
               case when dm.expr is not null then format(
                 E'  alter table %I.%I alter column %I set default (%s)::%s;\n'
                  '  alter table %I.%I alter column %I drop default;',
                 n.nspname, t.relname, nm.new_column, dm.expr, tc.new_type, n.nspname, t.relname, a.attname) end,
               case when dm.seq_name is not null and dm.identity_kind is null then format(
                 '  alter sequence %I.%I owned by %I.%I.%I;', dm.seq_schema, dm.seq_name, n.nspname, t.relname, nm.new_column) end,
               -- the key moves to the new column's unique index; the foreign keys that reference it are
               -- dropped first and added again after the renames (their definitions read now, with
               -- every name qualified)
               case when km.con_oid is not null then format(
                 E'  -- the %s moves to %I; the foreign keys that reference it are added again after the renames\n'
                  '  perform pg_catalog.set_config(''search_path'', ''pg_catalog'', true);\n'
                  '  select coalesce(array_agg(format(''alter table %%s drop constraint %%I'', f.conrelid::regclass, f.conname)), ''{}''),\n'
                  '         coalesce(array_agg(format(''alter table %%s add constraint %%I %%s'', f.conrelid::regclass, f.conname,\n'
                  '                                   pg_catalog.pg_get_constraintdef(f.oid)) || case when f.convalidated then '' not valid'' else '''' end), ''{}'')\n'
                  '    into fk_drops, fk_adds\n'
                  '    from pg_catalog.pg_constraint f\n'
                  '   where f.contype = ''f'' and f.confrelid = %L::regclass\n'
                  '     and f.conindid = (select k.conindid from pg_catalog.pg_constraint k where k.conrelid = %L::regclass and k.conname = %L);\n'
                  '  foreach statement in array fk_drops loop\n'
                  '    execute statement;\n'
                  '  end loop;\n'
                  '  alter table %I.%I drop constraint %I;\n'
                  '  alter table %I.%I add constraint %I %s using index %I;',
                 km.kind, nm.key_index,
                 format('%I.%I', n.nspname, t.relname), format('%I.%I', n.nspname, t.relname), km.conname,
                 n.nspname, t.relname, km.conname,
                 n.nspname, t.relname, km.conname, km.kind, nm.key_index) end,
               -- the table's own foreign keys and CHECK constraints over the column (oc) and the views that
               -- read it (mv): read at the swap, dropped before the renames, made again after them
               case when cardinality(oc.oids) > 0 or cardinality(mv.rule_oids) > 0 then format(E'  -- the foreign keys and CHECK constraints of the table over the column and the views that read\n'
                 '  -- it move to the new column: read now with every name qualified, dropped here, and made again\n'
                 '  -- by name after the renames (so they bind to the new column)\n'
                 '  perform pg_catalog.set_config(''search_path'', ''pg_catalog'', true);\n'
                 '  select coalesce(array_agg(format(''alter table %%s drop constraint %%I'', c.conrelid::regclass, c.conname)), ''{}''),\n'
                 '         coalesce(array_agg(format(''alter table %%s add constraint %%I %%s'', c.conrelid::regclass, c.conname,\n'
                 '                                   pg_catalog.pg_get_constraintdef(c.oid)) || case when c.convalidated then '' not valid'' else '''' end), ''{}'')\n'
                 '    into con_drops, con_adds\n'
                 '    from pg_catalog.pg_constraint c\n'
                 '    join pg_catalog.pg_attribute a on a.attrelid = c.conrelid and a.attname = %L\n'
                 '   where c.conrelid = %L::regclass and c.contype in (''f'', ''c'') and a.attnum = any (c.conkey)\n'
                 '     and not (c.contype = ''f'' and c.confrelid = c.conrelid and a.attnum = any (c.confkey));\n'
                 '  select coalesce(array_agg(format(''drop %%s %%s'', k.kind, v.oid::regclass)), ''{}''),\n'
                 '         coalesce(array_agg(concat_ws(E'';\\n'
                 ''',\n'
                 '           format(''create %%s %%s%%s%%s as %%s%%s'', k.kind, v.oid::regclass, '' with ('' || array_to_string(v.reloptions, '', '') || '')'',\n'
                 '                  (select format('' tablespace %%I'', s.spcname) from pg_catalog.pg_tablespace s where s.oid = v.reltablespace),\n'
                 '                  rtrim(pg_catalog.pg_get_viewdef(v.oid), '';''),\n'
                 '                  case when v.relkind <> ''m'' then '''' when v.relispopulated then '' with data'' else '' with no data'' end),\n'
                 '           format(''alter %%s %%s owner to %%I'', k.kind, v.oid::regclass, pg_catalog.pg_get_userbyid(v.relowner)),\n'
                 '           (select string_agg(format(''grant %%s on %%s to %%s%%s'', g.privilege_type, v.oid::regclass,\n'
                 '                                     case when g.grantee = 0 then ''public'' else quote_ident(pg_catalog.pg_get_userbyid(g.grantee)) end,\n'
                 '                                     case when g.is_grantable then '' with grant option'' else '''' end), E'';\\n'
                 ''')\n'
                 '            from pg_catalog.aclexplode(v.relacl) g where g.grantee <> v.relowner),\n'
                 '           (select string_agg(case when d.objsubid = 0 then format(''comment on %%s %%s is %%L'', k.kind, v.oid::regclass, d.description)\n'
                 '                                   else format(''comment on column %%s.%%I is %%L'', v.oid::regclass, c.attname, d.description) end, E'';\\n'
                 ''')\n'
                 '            from pg_catalog.pg_description d\n'
                 '            left join pg_catalog.pg_attribute c on c.attrelid = v.oid and c.attnum = d.objsubid\n'
                 '            where d.objoid = v.oid and d.classoid = ''pg_catalog.pg_class''::regclass),\n'
                 '           (select string_agg(pg_catalog.pg_get_indexdef(x.indexrelid), E'';\\n'
                 ''') from pg_catalog.pg_index x where x.indrelid = v.oid))), ''{}'')\n'
                 '    into view_drops, view_adds\n'
                 '    from pg_catalog.pg_class v\n'
                 '    cross join lateral (select case when v.relkind = ''m'' then ''materialized view'' else ''view'' end as kind) k\n'
                 '   where v.oid in (select r.ev_class from pg_catalog.pg_depend d\n'
                 '                   join pg_catalog.pg_rewrite r on r.oid = d.objid\n'
                 '                   join pg_catalog.pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid\n'
                 '                   where d.classid = ''pg_catalog.pg_rewrite''::regclass and d.refclassid = ''pg_catalog.pg_class''::regclass\n'
                 '                     and d.refobjid = %L::regclass and a.attname = %L and r.ev_class <> d.refobjid);\n'
                 '  foreach statement in array con_drops || view_drops loop\n'
                 '    execute statement;\n'
                 '  end loop;',
                 a.attname, format('%I.%I', n.nspname, t.relname), format('%I.%I', n.nspname, t.relname), a.attname) end,
               format(E'  select string_agg(u, '', '') into users from (\n'
                       '    select pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid) as u from pg_catalog.pg_depend d\n'
                       '    join pg_catalog.pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid\n'
                       '    where d.refclassid = ''pg_catalog.pg_class''::regclass and d.refobjid = %L::regclass and a.attname = %L\n'
                       '      and d.deptype in (''n'', ''a'')%s\n'
                       '      and not exists (select from pg_catalog.pg_constraint k\n'
                       '                      where d.classid = ''pg_catalog.pg_constraint''::regclass and k.oid = d.objid and k.contype = ''n'')) x;\n'
                       '  if users is not null then\n'
                       '    raise exception ''%% is still used by %%: move them to %% by hand, then run this step again'', %L, users, %L;\n'
                       '  end if;',
                      format('%I.%I', n.nspname, t.relname), a.attname,
                      case when cardinality(mi.old_names) > 0 then format(
                        E'\n      and not (d.classid = ''pg_catalog.pg_class''::regclass\n'
                         '               and d.objid = any (array(select pg_catalog.to_regclass(i) from unnest(%L::text[]) i)::oid[]))',
                        mi.old_names::text) else '' end,
                      format('%I.%I.%I', n.nspname, t.relname, a.attname), nm.new_column),
               format(E'  -- the old column takes NULL: writers no longer fill it\n'
                       '  if exists (select from pg_catalog.pg_attribute where attrelid = %L::regclass and attname = %L and attnotnull) then\n'
                       '    alter table %I.%I alter column %I drop not null;\n'
                       '  end if;\n'
                       '  alter table %I.%I rename column %I to %I;\n'
                       '  alter table %I.%I rename column %I to %I;\n'
                       '  drop trigger if exists %I on %I.%I;\n'
                       '  drop function if exists %I.%I();',
                      format('%I.%I', n.nspname, t.relname), a.attname,
                      n.nspname, t.relname, a.attname,
                      n.nspname, t.relname, a.attname, nm.old_name,
                      n.nspname, t.relname, nm.new_column, a.attname,
                      nm.sync_name, n.nspname, t.relname, n.nspname, nm.sync_name),
               -- the column's comment goes with its name to the new column (the old one keeps its own)
               (select format('  comment on column %I.%I.%I is %L;', n.nspname, t.relname, a.attname, dsc.description)
                from pg_catalog.pg_description dsc
                where dsc.objoid = t.oid and dsc.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass and dsc.objsubid = a.attnum),
               mi.rename_sql,
               case when km.con_oid is not null then
                 E'  foreach statement in array fk_adds loop\n    execute statement;\n  end loop;' end,
               case when cardinality(oc.oids) > 0 or cardinality(mv.rule_oids) > 0 then format(E'  foreach statement in array con_adds loop\n'
                 '    begin\n'
                 '      execute statement;\n'
                 '    exception when others then\n'
                 '      raise exception ''%%: %% failed on the new column (%%): move it by hand, then run this step again'', %L, statement, sqlerrm;\n'
                 '    end;\n'
                 '  end loop;\n'
                 '  foreach statement in array view_adds loop\n'
                 '    begin\n'
                 '      execute statement;\n'
                 '    exception when others then\n'
                 '      raise exception ''%%: a view that reads it does not resolve on %s (%%), so the swap changed nothing: recreate it by hand around the swap; it was: %%'', %L, sqlerrm, statement;\n'
                 '    end;\n'
                 '  end loop;',
                 format('%I.%I.%I', n.nspname, t.relname, a.attname), tc.new_type, format('%I.%I.%I', n.nspname, t.relname, a.attname)) end)),
             case when km.validate_sql is not null or oc.validate_sql is not null then
               concat_ws(E'\n', '-- 3b. validate the constraints added again NOT VALID (no lock that blocks writes)',
                         km.validate_sql, oc.validate_sql) end)
           end,
           regexp_replace(format('-- 4. after the grace period, drop %I (its data cannot be brought back without a backup)', nm.old_name),
                          '[\r\n]+', E'\n-- ', 'g')) end as remediation,
         case when us.names is not null then '-- nothing to undo: the advice runs nothing' else concat_ws(E'\n',
           'set lock_timeout = ''5s'';',
           -- once the swap has run, what follows would find nothing to drop and undo nothing: stop and say so
           format(E'do $$\nbegin\n'
                  '  if exists (select from pg_catalog.pg_attribute a where a.attrelid = %L::regclass and a.attname = %L and not a.attisdropped) then\n'
                  '    raise exception ''%%: the swap has run, %% holds the old values: the statements below only undo what comes before it; swap back as the comments after them say'', %L, %L;\n'
                  '  end if;\nend $$;',
                  format('%I.%I', n.nspname, t.relname), nm.old_name, format('%I.%I.%I', n.nspname, t.relname, a.attname), nm.old_name),
           '-- before the swap: drop the trigger, its function and the new column (it only holds copies):',
           format('drop trigger if exists %I on %I.%I;', nm.sync_name, n.nspname, t.relname),
           format('drop function if exists %I.%I();', n.nspname, nm.sync_name),
           format('alter table %I.%I drop column if exists %I;', n.nspname, t.relname, nm.new_column),
           regexp_replace(format('-- after it, in one transaction: alter table %I.%I rename column %I to %I; alter table %I.%I rename column %I to %I;%s%s%s',
                                 n.nspname, t.relname, a.attname, nm.new_column, n.nspname, t.relname, nm.old_name, a.attname,
                                 ' ' || mi.rename_back || ';',
                                 case when a.attnotnull
                                      then format(' then alter table %I.%I alter column %I set not null (it scans the table under its lock)',
                                                  n.nspname, t.relname, a.attname) else '' end,
                                 case when dm.identity_kind is not null or dm.expr is not null or dm.seq_name is not null
                                      then format('%sthe swap moved %s to the new column: move %s back the same way',
                                                  case when a.attnotnull then '; ' else ' ' end,
                                                  concat_ws(' and ', case when dm.identity_kind is not null then 'the identity' end,
                                                            case when dm.expr is not null then 'the default' end,
                                                            case when dm.seq_name is not null and dm.identity_kind is null
                                                                 then format('the ownership of %I.%I', dm.seq_schema, dm.seq_name) end),
                                                  case when (dm.identity_kind is not null)::int + (dm.expr is not null)::int
                                                            + (dm.seq_name is not null and dm.identity_kind is null)::int > 1
                                                       then 'them' else 'it' end) else '' end),
                          '[\r\n]+', E'\n-- ', 'g'),
           case when cardinality(oc.oids) > 0 or cardinality(mv.rule_oids) > 0 then
             regexp_replace(format('-- the swap moved %s to the new column: after the renames back, move them back the same way (drop them, add them again by name, NOT VALID, and validate; views dropped and created again from pg_get_viewdef)',
                                   concat_ws(' and ', case when cardinality(oc.oids) > 0 then 'the foreign keys and checks of the table over it' end,
                                             case when cardinality(mv.rule_oids) > 0 then coalesce(rd.names, 'the views that read it') end)),
                            '[\r\n]+', E'\n-- ', 'g') end) end as undo) ec
