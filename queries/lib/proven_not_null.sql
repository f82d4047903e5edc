-- Whether column `a` (pg_attribute) holds no NULL: attnotnull, unless its NOT NULL is a PostgreSQL
-- 18 constraint added NOT VALID (rows from before it may hold NULLs; ADD PRIMARY KEY and an identity
-- column refuse it, and SET NOT NULL validates it). An expression over `a`: include it inside parentheses.
a.attnotnull and not exists (select from pg_catalog.pg_constraint nn
                             where nn.conrelid = a.attrelid and nn.contype = 'n' and not nn.convalidated
                               and nn.conkey[1] = a.attnum)
