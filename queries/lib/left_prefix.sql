    -- (lib/left_prefix.sql) index a is a strict left prefix of index b on the same table: the same
    -- method, and b's key columns, operator classes, collations and sort options start with all
    -- of a's, with the same predicate. a and b are rows of an idx CTE with indexrelid, indrelid,
    -- relam, indnkeyatts, keys, classes, collations, options (int2vector/oidvector as text) and
    -- predicate (pg_get_expr); the lines are conditions of a where clause. Included by
    -- redundant_index (the prefix it drops) and unused_index (the wider index it then judges later).
    and b.indrelid = a.indrelid and b.relam = a.relam and b.indexrelid <> a.indexrelid
    and a.indnkeyatts < b.indnkeyatts
    and b.keys like a.keys || ' %'
    and b.classes like a.classes || ' %'
    and b.collations like a.collations || ' %'
    and b.options like a.options || ' %'
    and a.predicate is not distinct from b.predicate
