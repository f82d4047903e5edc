  -- The functions that return rows of the table `rt` (rt.relid, rt.nspname, rt.relname: set
  -- before the include): a new column changes that row type at once, and a body that builds its
  -- rows column by column (return query select a, b) fails from then on until it names the new
  -- column too. `rtr.warning`, the comment a fix that adds a column prints first (no_primary_key's
  -- new id, the expand-contract moves), null when no function returns them. Found through
  -- pg_depend's reference index (a function depends on the types it returns), not a pass over
  -- pg_proc per finding. A lateral join.
  cross join lateral (
    select case when count(*) > 0 then regexp_replace(format('-- %s %s %s rows of %I.%I: the new column changes that row type from the first step on, and a body '
                                 'that lists the columns (return query select a, b) fails until it lists the new one: check %s first',
                                 case when count(*) = 1 then 'function' else 'functions' end,
                                 string_agg(format('%I.%I(%s)', fn.nspname, f.proname, pg_catalog.pg_get_function_identity_arguments(f.oid)),
                                            ', ' order by fn.nspname, f.proname),
                                 case when count(*) = 1 then 'returns' else 'return' end, rt.nspname, rt.relname,
                                 case when count(*) = 1 then 'it' else 'them' end),
                          '[\r\n]+', E'\n-- ', 'g') end as warning
    from pg_catalog.pg_class rc
    join pg_catalog.pg_depend d on d.refclassid = 'pg_catalog.pg_type'::regclass and d.refobjid = rc.reltype
                                and d.classid = 'pg_catalog.pg_proc'::regclass
    join pg_catalog.pg_proc f on f.oid = d.objid and f.prorettype = rc.reltype
    join pg_catalog.pg_namespace fn on fn.oid = f.pronamespace
    where rc.oid = rt.relid
  ) rtr
