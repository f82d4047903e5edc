-- Names within PostgreSQL's 63 bytes for what a fix creates or renames (indexes, constraints,
-- columns, functions, deprecated_<name> renames): a lateral fitted(names text[]) from the lateral
-- fit(bases text[], taken boolean[]) the query puts before it, one name per base, in order. A
-- base is kept when it fits in 63 bytes and is not taken (the query says where a name would
-- collide: the schema's relations, the table's columns or constraints; null is free); else it
-- is cut to 54 bytes on a character boundary, plus "_" and 8 hex digits of its md5. PostgreSQL
-- would cut a longer name silently, and two cut names could meet.
cross join lateral (
  select array_agg(case when octet_length(b.base) <= 63 and not coalesce(b.taken, false) then b.base
                        else (select left(b.base, l) from generate_series(54, 1, -1) l
                              where octet_length(left(b.base, l)) <= 54 limit 1)
                             || '_' || left(md5(b.base), 8) end
                   order by b.ord) as names
  from unnest(fit.bases, fit.taken) with ordinality b(base, taken, ord)) fitted
