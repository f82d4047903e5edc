-- The relations an extension owns (pg_class members of pg_extension): every 'e' dependency
-- references the extension, so pg_depend's reference index finds them all in one scan, and a
-- query's `oid not in (...)` over them is a hashed list probed once per row (a `not exists`
-- probe of the depender index per row cost more). objid is never null. Included by the checks
-- and inputs that leave extension members out; the line after the include closes the list.
select d.objid from pg_catalog.pg_depend d
where d.refclassid = 'pg_catalog.pg_extension'::regclass
  and d.classid = 'pg_catalog.pg_class'::regclass and d.deptype = 'e'
