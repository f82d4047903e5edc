-- One CTE for the queries that ask what a default session resolves unqualified names through
-- (security_definer_search_path, public_schema_create): default_path.schemas, the schemas of the
-- database's default search_path in order (pg_settings.reset_val: the server's, the database's
-- or the role's setting, as a new session starts with it), without "$user" (the caller's own
-- name, not a fixed schema), pg_catalog and pg_temp (searched anyway).
default_path as (
  select coalesce(pg_catalog.array_agg(s.schema order by s.ord)
                    filter (where s.schema <> '$user' and s.schema not in ('pg_catalog', 'pg_temp')), '{}') as schemas
  from pg_catalog.pg_settings st
  cross join lateral pg_catalog.unnest(pg_catalog.string_to_array(st.reset_val, ',')) with ordinality as u(part, ord)
  cross join lateral (select pg_catalog.btrim(pg_catalog.btrim(u.part), '"') as schema, u.ord) s
  where st.name = 'search_path'
),
