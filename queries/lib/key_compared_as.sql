-- The type a foreign key compares its referencing column `a` (pg_attribute) as, by its equality
-- operator `key_op` (a member of conpfeqop, a column of the including query), when another than
-- the column's own that the column does not become without a cast call (a character(36) column
-- with a character varying(40) key: text); else null. No index on the column answers the key's
-- lookups then (fk_without_index, fk_type_mismatch). A scalar subquery; include it inside
-- parentheses.
select pg_catalog.format_type(o.oprright, null)
from pg_catalog.pg_operator o
where o.oid = key_op and o.oprright <> a.atttypid
  and not exists (select from pg_catalog.pg_cast c
                  where c.castsource = a.atttypid and c.casttarget = o.oprright and c.castmethod = 'b')
