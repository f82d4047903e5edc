-- deprecated_<name> for the rename-first fixes (unused_table, unused_sequence, unused_column,
-- unused_column_statements) and type_serial's old sequence: a lateral nm(new_name) from the
-- lateral dn(old_name, taken) the query puts before it, taken being whether deprecated_<old_name> is already a name where the
-- renamed object lives (the schema's relations, the table's columns). deprecated_<old_name>
-- when it fits in 63 bytes and is free, else cut to 54 bytes (on a character boundary) plus "_"
-- and 8 hex digits of its md5: PostgreSQL would cut a longer name silently, and two cut names
-- could meet.
cross join lateral (
  select case when octet_length('deprecated_' || dn.old_name) <= 63 and not dn.taken
              then 'deprecated_' || dn.old_name
              else (select left('deprecated_' || dn.old_name, l) from generate_series(54, 1, -1) l
                    where octet_length(left('deprecated_' || dn.old_name, l)) <= 54 limit 1)
                   || '_' || left(md5('deprecated_' || dn.old_name), 8) end as new_name) nm
