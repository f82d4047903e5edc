-- Whether index `x` (pg_index) has every key column in its default operator class, collation and
-- order, as a plain CREATE INDEX on the columns builds it: what makes an index the duplicate or left
-- prefix of one a fix builds (lib/tenant_only_indexes.sql, no_primary_key's plain index on id). An
-- expression; include it inside parentheses.
not exists (select 1 from pg_catalog.generate_series(0, x.indnatts - 1) k
            join pg_catalog.pg_attribute ka on ka.attrelid = x.indrelid and ka.attnum = x.indkey[k]
            where x.indoption[k] <> 0 or x.indcollation[k] <> ka.attcollation
               or not exists (select 1 from pg_catalog.pg_opclass o where o.oid = x.indclass[k] and o.opcdefault))
