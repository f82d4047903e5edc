-- id: partition_roots
-- kind: input
-- title: The root of every partition
-- rationale: The audit shows the findings on a partitioned table's partitions (and on their
--   indexes) as one entry under the partitioned table they belong to: one decision, taken on
--   the parent, fixes every partition. Read once per audit, after the checks, by the grouping
--   of findings (audit/group_findings.cpp), only when there are findings.
--
-- One row per partition (table or index, at any depth): its label and its root's label, each
-- quoted as every query quotes object labels (format('%I.%I')).
select format('%I.%I', n.nspname, c.relname) as label,
       format('%I.%I', rn.nspname, r.relname) as root
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
join pg_catalog.pg_class r on r.oid = pg_catalog.pg_partition_root(c.oid)
join pg_catalog.pg_namespace rn on rn.oid = r.relnamespace
where c.relispartition
