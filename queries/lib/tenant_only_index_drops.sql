-- The body of the DO block that drops, once a fix's new (tenant, ...) key is validated and its
-- new index valid, the indexes on the tenant column alone that the new index makes a left prefix
-- (redundant_index's rule), and the plain ones on its columns that it makes duplicates
-- (duplicate_index's), found when the step runs and each named in a NOTICE with its
-- definition. Included by cross_tenant_fk and missing_fk as a lateral join that yields g.body,
-- from n (the finding: fkey, the new key's name, and key_ready, the SQL test that it is there
-- and validated, under whichever name the fix gave it) and r (a side of it: schema_name,
-- table_name, tenant, wider, the new index).
  cross join lateral (
    select format(E'declare\n  narrow record;\nbegin\n'
                  '  if not %s\n'
                  '     or not exists (select 1 from pg_catalog.pg_index x where x.indexrelid = pg_catalog.to_regclass(%L) and x.indisvalid) then\n'
                  '    raise exception ''the indexes on %%(%%) alone are kept: foreign key %% is not validated or index %% is missing or invalid; fix the errors above, then run the script again'', %L, %L, %L, %L;\n'
                  '  end if;\n'
                  '  for narrow in\n'
                  '    select x.indexrelid::regclass as name, pg_catalog.pg_get_indexdef(x.indexrelid) as definition,\n'
                  '           case when x.indnatts = 1 then ''a left prefix'' else ''a duplicate'' end as what\n'
                  '    from pg_catalog.pg_index x\n'
                  '    join pg_catalog.pg_class i on i.oid = x.indexrelid\n'
                  '    join pg_catalog.pg_am am on am.oid = i.relam and am.amname = ''btree''\n'
                  '    join pg_catalog.pg_attribute a on a.attrelid = x.indrelid and a.attnum = x.indkey[0]\n'
                  '    join pg_catalog.pg_index nw on nw.indexrelid = pg_catalog.to_regclass(%L)\n'
                  '    where x.indrelid = %L::regclass and x.indexrelid <> nw.indexrelid\n'
                  '      and x.indisvalid and not x.indisunique and not i.relispartition and x.indexprs is null and x.indpred is null\n'
                  '      and ((a.attname = %L and x.indnatts = 1 and x.indoption[0] = 0 and x.indcollation[0] = a.attcollation\n'
                  '            and exists (select 1 from pg_catalog.pg_opclass o where o.oid = x.indclass[0] and o.opcdefault))\n'
                  '           or (x.indkey = nw.indkey and x.indclass = nw.indclass and x.indcollation = nw.indcollation\n'
                  '               and x.indoption = nw.indoption))\n'
                  '      and not exists (select 1 from pg_catalog.pg_constraint k where k.conindid = x.indexrelid)\n'
                  '  loop\n'
                  '    raise notice ''%% is %% of %% and is dropped; to recreate it: %%'', narrow.name, narrow.what, %L, narrow.definition;\n'
                  '    execute pg_catalog.format(''drop index if exists %%s'', narrow.name);\n'
                  '  end loop;\nend',
                  n.key_ready, r.wider,
                  format('%I.%I', r.schema_name, r.table_name), r.tenant, n.fkey, r.wider,
                  r.wider, format('%I.%I', r.schema_name, r.table_name), r.tenant, r.wider) as body
  ) g
