  -- (lib/user_foreign_keys.sql) The from and where of a select over the foreign keys of the user's
  -- tables: k (pg_constraint), t and n (the child and its schema), p and pn (the parent and its
  -- schema); not a partition's clone of its parent's key, nor a key of a system schema's table or
  -- of an extension's. The including query may add `and ...` after it. cross_tenant_fk and
  -- fk_set_null_not_null read it.
  from pg_catalog.pg_constraint k
  join pg_catalog.pg_class t on t.oid = k.conrelid
  join pg_catalog.pg_namespace n on n.oid = t.relnamespace
  join pg_catalog.pg_class p on p.oid = k.confrelid
  join pg_catalog.pg_namespace pn on pn.oid = p.relnamespace
  where k.contype = 'f'
    and k.conparentid = 0
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
