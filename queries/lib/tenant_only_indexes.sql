-- The indexes on a tenant column alone, of each side w (rel, tenant_attnum, key_attnums) of a fix
-- that builds a (tenant, ...) index there on key_attnums, and those on exactly key_attnums (a
-- duplicate of the new one: Logto's roles__id on (tenant_id, id) beside the parent's new unique
-- one): valid, non-unique, plain btree with the default opclass, collation and order, backing no
-- constraint. The select list's end, from, joins and
-- where of a CTE: definition, how to recreate one (the undo: a partitioned table's on the table
-- and its partitions, not ON ONLY), then from sides w ... where ...; included by cross_tenant_fk
-- and missing_fk, whose CTE starts the select list with its own keys and i.relname.
         case when i.relkind = 'I' then E'-- partitioned table: no CONCURRENTLY; this blocks writes to it (SHARE lock) while it builds\n' || regexp_replace(pg_catalog.pg_get_indexdef(x.indexrelid), '^CREATE INDEX ("([^"]|"")*"|\S+) ON ONLY ',
                                                       'create index if not exists \1 on ') || ';'
              else regexp_replace(pg_catalog.pg_get_indexdef(x.indexrelid), '^CREATE INDEX ',
                                  'create index concurrently if not exists ') || ';' end as definition
  from sides w
  join pg_catalog.pg_index x on x.indrelid = w.rel
  join pg_catalog.pg_class i on i.oid = x.indexrelid
  join pg_catalog.pg_am am on am.oid = i.relam and am.amname = 'btree'
  where x.indisvalid and not x.indisunique and not i.relispartition
    and ((x.indnatts = 1 and x.indkey[0] = w.tenant_attnum)
         or x.indkey::text = pg_catalog.array_to_string(w.key_attnums, ' '))
    and x.indexprs is null and x.indpred is null
    and (
      -- include: default_key_order
    )
    -- not in (hashed once): pg_constraint has no index on conindid, and a not exists scanned it
    -- for every index (6.4 s over 2,000 indexes on 1,000 schemas)
    and x.indexrelid not in (select k.conindid from pg_catalog.pg_constraint k where k.contype in ('p', 'u', 'x'))
