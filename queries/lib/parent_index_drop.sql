-- One lateral for the undos of missing_fk and cross_tenant_fk, whose fixes build a unique index on
-- the parent's (tenant, key) for the foreign key they add: parent_index_drop.statement drops the
-- index p.parent_index of schema p.parent_schema (`p`: a lateral of the including query) only
-- while no foreign key uses it. The fix of another column referencing the same parent makes the
-- same index, and DROP INDEX refuses an index a key uses with a HINT to CASCADE, which would drop
-- that key too (Lago: 151 of 204 undos run in turn). In a DO block, so a plain drop: a brief
-- exclusive lock on the parent, bounded by lock_timeout.
cross join lateral (
  select case when strpos(b.body, '$$') = 0 then format(E'do $$\n%s\n$$;', b.body) else format('do %L;', b.body) end as statement
  from (select format(E'begin\n'
                      '  if exists (select from pg_catalog.pg_depend d where d.classid = ''pg_catalog.pg_constraint''::regclass\n'
                      '             and d.refclassid = ''pg_catalog.pg_class''::regclass and d.refobjid = pg_catalog.to_regclass(%L)) then\n'
                      '    raise notice ''%%: kept, another foreign key uses it'', %L;\n'
                      '  else\n'
                      '    drop index if exists %I.%I;\n'
                      '  end if;\nend',
                      format('%I.%I', p.parent_schema, p.parent_index), format('%I.%I', p.parent_schema, p.parent_index),
                      p.parent_schema, p.parent_index) as body) b
) parent_index_drop
