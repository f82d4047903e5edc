-- Two CTEs for the queries that know partial indexes whose predicate only repeats NOT NULL
-- (redundant_predicate, which rebuilds them whole, and unused_index, which leaves those with a
-- whole twin to it, as it leaves exact duplicates to duplicate_index): not_null_partials, every
-- valid partial index outside the system schemas with its whole twin (a valid index with the
-- same keys, opclasses and collations and no predicate, unique if it is: then it is a
-- duplicate), the whole B-tree its keys lead (wider), predicate and definition;
-- redundant_partials, those whose predicate is one or
-- more "(col IS NOT NULL)" joined by AND on NOT NULL columns (columns: those names).
not_null_partials as (
  select x.indexrelid, x.indrelid, x.indisunique, n.nspname, t.relname as table_name, i.relname as index_name,
         -- a valid whole index with the same keys, opclasses and collations (unique if this one is):
         -- then this one is a duplicate, and dropping it is the fix
         (select format('%I.%I', n.nspname, ti.relname)
          from pg_catalog.pg_index y
          join pg_catalog.pg_class ti on ti.oid = y.indexrelid
          where y.indrelid = x.indrelid and y.indexrelid <> x.indexrelid and y.indisvalid
            and y.indpred is null and y.indexprs is null and x.indexprs is null
            and y.indkey::text = x.indkey::text and y.indclass::text = x.indclass::text
            and y.indcollation::text = x.indcollation::text and (y.indisunique or not x.indisunique)
          order by ti.relname limit 1) as twin,
         -- a valid whole B-tree that this one's keys lead, with the same opclasses, collations and
         -- orders (this one not unique and with no INCLUDE): it serves every query this one serves,
         -- so dropping this one is the fix (Danbooru's posts (uploader_id) where uploader_id is not
         -- null beside (uploader_id, created_at)); the twin is preferred when there is one. (Both
         -- sides sliced: a slice starts at 1, the vectors at 0, and = compares the bounds too.)
         (select format('%I.%I', n.nspname, wi.relname)
          from pg_catalog.pg_index y
          join pg_catalog.pg_class wi on wi.oid = y.indexrelid
          where y.indrelid = x.indrelid and y.indexrelid <> x.indexrelid and y.indisvalid
            and y.indpred is null and y.indexprs is null and x.indexprs is null
            and not x.indisunique and x.indnatts = x.indnkeyatts and y.indnkeyatts > x.indnkeyatts
            and wi.relam = i.relam and i.relam = (select am.oid from pg_catalog.pg_am am where am.amname = 'btree')
            and (y.indkey::int2[])[0:x.indnkeyatts - 1] = (x.indkey::int2[])[0:x.indnkeyatts - 1]
            and (y.indclass::oid[])[0:x.indnkeyatts - 1] = (x.indclass::oid[])[0:x.indnkeyatts - 1]
            and (y.indcollation::oid[])[0:x.indnkeyatts - 1] = (x.indcollation::oid[])[0:x.indnkeyatts - 1]
            and (y.indoption::int2[])[0:x.indnkeyatts - 1] = (x.indoption::int2[])[0:x.indnkeyatts - 1]
          order by y.indnkeyatts, wi.relname limit 1) as wider,
         pg_catalog.pg_get_expr(x.indpred, x.indrelid) as predicate,
         pg_catalog.pg_get_indexdef(x.indexrelid) as definition
  from pg_catalog.pg_index x
  join pg_catalog.pg_class i on i.oid = x.indexrelid
  join pg_catalog.pg_class t on t.oid = x.indrelid
  join pg_catalog.pg_namespace n on n.oid = i.relnamespace
  where x.indpred is not null and x.indisvalid and i.relkind = 'i' and not t.relispartition
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
),
redundant_partials as (
  select p.*, pieces.columns
  from not_null_partials p
  cross join lateral (
    -- each AND-ed piece of the predicate: "(col IS NOT NULL)", col a plain (maybe quoted) name
    select pg_catalog.array_agg(m[1] order by k) as columns,
           bool_and(m is not null and exists (select from pg_catalog.pg_attribute a
                                              where a.attrelid = p.indrelid and a.attnum > 0 and not a.attisdropped
                                                and a.attnotnull and pg_catalog.quote_ident(a.attname) = m[1])) as all_not_null
    from pg_catalog.unnest(pg_catalog.string_to_array(
           case when p.predicate ~ '^\(\(.*\)\)$' and p.predicate like '% AND %' then substr(p.predicate, 2, length(p.predicate) - 2)
                else p.predicate end, ' AND ')) with ordinality as u(piece, k)
    cross join lateral (select pg_catalog.regexp_match(u.piece, '^\(("(?:[^"]|"")+"|[a-z_][a-z0-9_$]*) IS NOT NULL\)$') as m) r
  ) pieces
  where pieces.all_not_null
    and p.predicate !~* '\sOR\s'
    and right(p.definition, length(' WHERE ' || p.predicate)) = ' WHERE ' || p.predicate
),
