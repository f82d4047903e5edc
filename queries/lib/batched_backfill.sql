  -- A backfill that updates every pending row of a table, as one script that runs to its end: a
  -- DO block that updates 10,000 rows at a time and commits each batch (so it runs outside a
  -- transaction block, as the fixes' CONCURRENTLY steps already do), until a batch updates none.
  -- A statement to repeat by hand was printed before: pasted whole, it filled one batch and the
  -- steps after it (a NOT NULL check validated) failed on the rest, or, added NOT VALID, refused
  -- every later update of a row not yet filled.
  -- Reads bfi (nspname, relname: the table; assignment: the SET list; pending: the condition of a
  -- row still to fill, false once it is filled) and ut (lib/update_triggers.sql: the update
  -- triggers the batches would fire on every row; the session keeps them from firing, and the
  -- block stops before any update when it cannot). Yields bf.script (lib/expand_contract_column.sql,
  -- no_primary_key, fk_type_mismatch).
  cross join lateral (
    select concat_ws(E'\n',
             ut.backfill_note,
             case when ut.names is not null then 'set session_replication_role = replica;' end,
             -- dollar-quoted unless a name holds $$
             case when strpos(b.body, '$$') = 0 then format(E'do $$\n%s\n$$;', b.body) else format('do %L;', b.body) end,
             case when ut.names is not null then 'reset session_replication_role;' end) as script
    from (select format(E'declare\n  batch bigint;\nbegin\n%s'
                        '  loop\n'
                        '    update %I.%I set %s where ctid = any (array(select ctid from %I.%I where %s limit 10000));\n'
                        '    get diagnostics batch = row_count;\n'
                        '    exit when batch = 0;\n'
                        '    commit;\n'
                        '  end loop;\nend',
                        case when ut.names is not null then format(
                          E'  if pg_catalog.current_setting(''session_replication_role'') <> ''replica'' then\n'
                           '    raise exception ''the backfill would fire %%s on every row of %%s: run it as a superuser'', %L, %L;\n'
                           '  end if;\n', ut.names, format('%I.%I', bfi.nspname, bfi.relname)) else '' end,
                        bfi.nspname, bfi.relname, bfi.assignment, bfi.nspname, bfi.relname, bfi.pending) as body) b
  ) bf
