    -- (lib/left_prefix.sql) index a is a strict left prefix of index b on the same table: the same
    -- method, and b's key columns, operator classes, collations and sort options start with all
    -- of a's, with the same predicate. a and b are rows of an idx CTE with indexrelid, indrelid,
    -- relam, indnkeyatts, keys, classes, collations, options (int2vector/oidvector as text) and
    -- predicate (pg_get_expr), and has_exprs (a has expressions: indkey holds 0 for each, so b's
    -- are compared with a's, key by key, as pg_get_indexdef prints them: Lemmy's (featured_local
    -- desc, coalesce(newest_comment_time_at, published_at) desc, id desc)); the lines are conditions
    -- of a where clause. Included by redundant_index (the prefix it drops) and unused_index (the
    -- wider index it then judges later).
    and b.indrelid = a.indrelid and b.relam = a.relam and b.indexrelid <> a.indexrelid
    and a.indnkeyatts < b.indnkeyatts
    and b.keys like a.keys || ' %'
    and b.classes like a.classes || ' %'
    and b.collations like a.collations || ' %'
    and b.options like a.options || ' %'
    and a.predicate is not distinct from b.predicate
    and (not a.has_exprs
         or not exists (select from pg_catalog.generate_series(1, a.indnkeyatts) k
                        where pg_catalog.pg_get_indexdef(a.indexrelid, k, true)
                              is distinct from pg_catalog.pg_get_indexdef(b.indexrelid, k, true)))
