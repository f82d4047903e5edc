-- The statements that make view or materialized view `v` (pg_class; `vn` its pg_namespace) again
-- as it is: its definition with its options (security_invoker, security_barrier, check_option; a
-- materialized view with or without data), owner, grants, comment, and a materialized view's
-- indexes; one statement a line. An expression, for lib/column_dependents.sql and
-- fk_type_mismatch (which run it in their swap's transaction); include it inside parentheses.
           concat_ws(E'\n',
           format('create %s %I.%I%s as %s%s', case when v.relkind = 'm' then 'materialized view' else 'view' end, vn.nspname, v.relname,
                  ' with (' || array_to_string(v.reloptions, ', ') || ')', rtrim(pg_catalog.pg_get_viewdef(v.oid), ';'),
                  case when v.relkind <> 'm' then '' when v.relispopulated then ' with data' else ' with no data' end) || ';',
           format('alter %s %I.%I owner to %I;', case when v.relkind = 'm' then 'materialized view' else 'view' end,
                  vn.nspname, v.relname, pg_catalog.pg_get_userbyid(v.relowner)),
           (select string_agg(format('grant %s on %I.%I to %s%s;', g.privilege_type, vn.nspname, v.relname,
                                     case when g.grantee = 0 then 'public' else quote_ident(pg_catalog.pg_get_userbyid(g.grantee)) end,
                                     case when g.is_grantable then ' with grant option' else '' end),
                              E'\n' order by g.grantee, g.privilege_type)
            from aclexplode(v.relacl) g where g.grantee <> v.relowner),
           (select format('comment on %s %I.%I is %L;', case when v.relkind = 'm' then 'materialized view' else 'view' end,
                          vn.nspname, v.relname, ds.description)
            from pg_catalog.pg_description ds
            where ds.objoid = v.oid and ds.classoid = 'pg_catalog.pg_class'::regclass and ds.objsubid = 0),
           -- a materialized view's indexes, as their definitions read them
           (select string_agg(pg_catalog.pg_get_indexdef(x.indexrelid) || ';', E'\n' order by x.indexrelid)
            from pg_catalog.pg_index x where x.indrelid = v.oid))
