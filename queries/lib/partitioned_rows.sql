  -- The rows and pages of `t` (pg_class) when it is a partitioned table (fk_without_index,
  -- cross_tenant_fk, type_int_key: the table's size grades or gates the finding): it holds no
  -- rows itself, its own estimate stays -1 until the table as a whole is analyzed and its
  -- counters count nothing, so the sum of its leaves' estimates and pages as `leaves.reltuples`
  -- and `leaves.relpages` (-1 when a leaf holding data was never analyzed: no estimate; a leaf
  -- whose file is empty counts as empty), and of their inserts counted since the statistics
  -- reset as `leaves.inserted`. Nothing is read for a table of another kind. A lateral join:
  -- include it after the join of `t`.
  cross join lateral (
    select case when bool_or((l.reltuples < 0 or (l.reltuples = 0 and l.relpages = 0))
                             and pg_catalog.pg_relation_size(l.oid) > 0) then -1
                else coalesce(sum(greatest(l.reltuples, 0)), 0) end as reltuples,
           coalesce(sum(l.relpages), 0) as relpages,
           coalesce(sum(pg_catalog.pg_stat_get_tuples_inserted(l.oid)), 0) as inserted
    from pg_catalog.pg_partition_tree(t.oid) pt
    join pg_catalog.pg_class l on l.oid = pt.relid
    where t.relkind = 'p' and pt.isleaf
  ) leaves
