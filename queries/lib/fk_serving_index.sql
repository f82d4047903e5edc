-- One condition for the checks that ask whether index `x` (pg_index) serves the lookups of foreign
-- key `k` (pg_constraint) through its referencing columns, as deleting or re-keying a parent row
-- makes them (fk_without_index, and unused_index, which keeps such an index however rarely it is
-- scanned): its leading key columns are the key's columns, in any order, or, for a key that holds
-- a tenant column (named in tenant_key_names.names: a CTE of the including query, from its
-- tenant_keys param) beside others, those others alone (Lago's fees: an index on invoice_id
-- serves the key (organization_id, invoice_id), whose lookups give the tenant too), or those of
-- its columns that reference a unique key of the parent on their own (Concourse's volumes: the key
-- (parent_id, parent_state) references (id, state), and id is the parent's primary key, so an
-- index on parent_id finds exactly the rows a parent's delete looks up), or it is a unique index on
-- some of the key's columns and no others, which finds the one row a lookup of the whole key can
-- match (Ente's trash: its primary key file_id serves the key (file_id, collection_id)); and it is
-- whole, or partial with a predicate that only says the key's columns are not null, which
-- `col = $1` implies (what is left of it once every "<key column> IS NOT NULL" is taken out is
-- ANDs and parentheses: fk_without_index's own fix builds such an index on a mostly NULL key);
-- and each of the key's columns among its key columns is in an operator family that has the key's
-- equality operator (conpfeqop): a character(36) column referencing a character varying(40) key is
-- compared as text, which a bpchar_ops index cannot answer (Vaultwarden's sso_users: its primary
-- key on user_uuid, and every user delete scanned the table).
-- Starts with `and`.
  and (x.indpred is null
       or pg_catalog.regexp_replace(pg_catalog.regexp_replace(
            pg_catalog.pg_get_expr(x.indpred, x.indrelid),
            '(' || (select string_agg(pg_catalog.regexp_replace(pg_catalog.quote_ident(a.attname),
                                                                '([.^$*+?()[\]{}|\\])', '\\\1', 'g'), '|')
                    from pg_catalog.pg_attribute a
                    where a.attrelid = k.conrelid and a.attnum = any (k.conkey)) || ') IS NOT NULL', '', 'g'),
            '[()[:space:]]|AND', '', 'g') = '')
  and ((x.indnkeyatts >= cardinality(k.conkey)
        and (x.indkey::int2[])[0:cardinality(k.conkey) - 1] operator(pg_catalog.@>) k.conkey
        and (x.indkey::int2[])[0:cardinality(k.conkey) - 1] operator(pg_catalog.<@) k.conkey)
       -- the tenant rule and the unique-key rule only for keys of two columns or more (most keys
       -- have one: the array tests above decide them without a catalog lookup)
       or (cardinality(k.conkey) > 1
           and ((x.indisunique and x.indexprs is null and x.indnkeyatts < cardinality(k.conkey)
                 and (x.indkey::int2[])[0:x.indnkeyatts - 1] operator(pg_catalog.<@) k.conkey)
                or exists (
                  select
                  from (select array(select c.attnum from unnest(k.conkey) c(attnum)
                                     where not exists (select from pg_catalog.pg_attribute ta, tenant_key_names tk
                                                       where ta.attrelid = k.conrelid and ta.attnum = c.attnum
                                                         and ta.attname::text = any (tk.names))) as own) o
                  where cardinality(o.own) between 1 and cardinality(k.conkey) - 1
                    and x.indnkeyatts >= cardinality(o.own)
                    and (x.indkey::int2[])[0:cardinality(o.own) - 1] operator(pg_catalog.@>) o.own
                    and (x.indkey::int2[])[0:cardinality(o.own) - 1] operator(pg_catalog.<@) o.own)
                or exists (
                  select
                  from pg_catalog.pg_index u
                  -- the key's columns paired with the unique key's, among those it references
                  cross join lateral (select array(select k.conkey[i] from pg_catalog.generate_subscripts(k.confkey, 1) i
                                                   where k.confkey[i] = any ((u.indkey::int2[])[0:u.indnkeyatts - 1])) as own) o
                  where u.indrelid = k.confrelid and u.indisunique and u.indisvalid
                    and u.indpred is null and u.indexprs is null
                    and (u.indkey::int2[])[0:u.indnkeyatts - 1] operator(pg_catalog.<@) k.confkey
                    and cardinality(o.own) between 1 and cardinality(k.conkey) - 1
                    and x.indnkeyatts >= cardinality(o.own)
                    and (x.indkey::int2[])[0:cardinality(o.own) - 1] operator(pg_catalog.@>) o.own
                    and (x.indkey::int2[])[0:cardinality(o.own) - 1] operator(pg_catalog.<@) o.own))))
  and not exists (select from pg_catalog.generate_subscripts(k.conkey, 1) i
                  join pg_catalog.generate_series(0, x.indnkeyatts - 1) p on x.indkey[p] = k.conkey[i]
                  where not exists (select from pg_catalog.pg_opclass oc
                                    join pg_catalog.pg_amop ao on ao.amopfamily = oc.opcfamily and ao.amopopr = k.conpfeqop[i]
                                    where oc.oid = x.indclass[p]))
