-- id: partition_roots
-- kind: input
-- title: The root of every partition
-- rationale: The audit shows the findings on a partitioned table's partitions (and on their
--   indexes) as one entry under the partitioned table they belong to: one decision, taken on
--   the parent, fixes every partition. Read once per audit, after the checks, by the grouping
--   of findings (audit/group_findings.cpp), only when there are findings.
--
-- One row per partition (table or index, at any depth): its label and its root's label, each
-- quoted as every query quotes object labels (format('%I.%I')). And one per inheritance child
-- (a table INHERITS another, not as a partition): its topmost ancestor (Concourse's
-- pipeline_build_events_N INHERITS build_events, made by a trigger per pipeline: 25 tables of one
-- design were 25 no_primary_key entries); a child of two parents stands for the first read.
with recursive ancestry as (
  select i.inhrelid as child, i.inhparent as ancestor
  from pg_catalog.pg_inherits i
  join pg_catalog.pg_class c on c.oid = i.inhrelid
  where not c.relispartition and c.relkind = 'r'
  union all
  select a.child, i.inhparent
  from ancestry a
  join pg_catalog.pg_inherits i on i.inhrelid = a.ancestor
)
select format('%I.%I', n.nspname, c.relname) as label,
       format('%I.%I', rn.nspname, r.relname) as root
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
join pg_catalog.pg_class r on r.oid = pg_catalog.pg_partition_root(c.oid)
join pg_catalog.pg_namespace rn on rn.oid = r.relnamespace
where c.relispartition
union all
select format('%I.%I', n.nspname, c.relname), format('%I.%I', rn.nspname, r.relname)
from ancestry a
join pg_catalog.pg_class c on c.oid = a.child
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
join pg_catalog.pg_class r on r.oid = a.ancestor
join pg_catalog.pg_namespace rn on rn.oid = r.relnamespace
where not exists (select from pg_catalog.pg_inherits up where up.inhrelid = a.ancestor)
