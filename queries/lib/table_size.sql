  -- The size of `t` (pg_class) as its statistics estimate it (fk_without_index, cross_tenant_fk,
  -- type_int_key, no_primary_key, type_char_n: the table's size grades or gates the finding): `size.rows`, -1 when there is
  -- no estimate (never analyzed, which before 14 reads reltuples 0 on relpages 0), `size.pages`
  -- and `size.inserted` (the inserts counted since the statistics reset). A partitioned table
  -- holds no rows itself, its own estimate stays -1 until the table as a whole is analyzed and
  -- its counters count nothing: its size is its leaves' summed (rows -1 when a leaf holding data
  -- was never analyzed; a leaf whose file is empty counts as empty), and its leaves are read only
  -- for it. A lateral join: include it after the join of `t`.
  cross join lateral (
  -- `size.rows_at_most`: the rows when estimated; for an ordinary table never analyzed, as many as
  -- its file could hold (at most (block_size - 24) / 28 a page); else null. A table below a row
  -- bound by it is tiny for sure (no_primary_key, type_char_n).
  select e.*,
         case when e.rows >= 0 then e.rows
              when t.relkind = 'r' then pg_catalog.pg_relation_size(t.oid) / pg_catalog.current_setting('block_size')::int
                                        * ((pg_catalog.current_setting('block_size')::int - 24) / 28) end as rows_at_most
  from (
    select case when t.relkind <> 'p' then case when t.reltuples = 0 and t.relpages = 0 then -1 else t.reltuples end
                when bool_or((l.reltuples < 0 or (l.reltuples = 0 and l.relpages = 0))
                             and pg_catalog.pg_relation_size(l.oid) > 0) then -1
                else coalesce(sum(greatest(l.reltuples, 0)), 0) end as rows,
           case when t.relkind <> 'p' then t.relpages else coalesce(sum(l.relpages), 0) end as pages,
           case when t.relkind <> 'p' then pg_catalog.pg_stat_get_tuples_inserted(t.oid)
                else coalesce(sum(pg_catalog.pg_stat_get_tuples_inserted(l.oid)), 0) end as inserted
    from pg_catalog.pg_partition_tree(t.oid) pt
    join pg_catalog.pg_class l on l.oid = pt.relid
    where t.relkind = 'p' and pt.isleaf
  ) e
  ) size
