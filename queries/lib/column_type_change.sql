  -- What an in-place ALTER COLUMN ... TYPE of column `a` of `t` (in `n`) to `tc.new_type` runs
  -- into (type_varchar_n, type_timestamp_no_tz), each as a clause for the message and a comment
  -- printed in place of the ALTER, null when it does not apply:
  -- - the partition key (the column in it, or in one of its expressions), whose type PostgreSQL
  --   refuses to change: `change.partition_key`, `change.key_clause`, `change.key_advice`;
  -- - the invalid indexes on the column (a CREATE INDEX CONCURRENTLY that failed), which the
  --   change rebuilds under its exclusive lock, even a binary-coercible one, and makes valid:
  --   `change.invalid_indexes` (their labels), `change.invalid_clause`, `change.invalid_advice`;
  -- - what reads the column (`dep`, from column_dependents): recreated in the change's
  --   transaction (`change.dependents_note`, the comment above the change that does it), else
  --   dropped and recreated by hand (`change.dependents_advice`): `change.dependents_clause`.
  -- A lateral join: include it after the joins of `t`, `n`, `a`, `dep` and `tc`.
  cross join lateral (
    select pk.is_key as partition_key,
           iv.names as invalid_indexes,
           case when pk.is_key
                then format('; it is part of the partition key of %I.%I, whose type PostgreSQL refuses to change', n.nspname, t.relname)
           end as key_clause,
           case when pk.is_key then concat_ws(E'\n',
             '-- not printed: PostgreSQL refuses to change the type of a partition key column. To change it, create',
             '-- a new partitioned table with the new type, attach or copy the partitions into it, and swap the names',
             '-- in one short transaction.')
           end as key_advice,
           case when iv.names is not null
                then format('; invalid index %s on it would be rebuilt by the change, under its lock: drop it first (invalid_index)', iv.names)
           end as invalid_clause,
           case when iv.names is not null then regexp_replace(format(
             '-- not printed: invalid index %s on the column (a concurrent build that failed) would be rebuilt by the change '
             'under its ACCESS EXCLUSIVE lock, and made valid: drop it first (invalid_index prints how), then audit again', iv.names),
             '[\r\n]+', E'\n-- ', 'g')
           end as invalid_advice,
           case when dep.names is not null and dep.recreatable
                  then format('; %s %s it: the change drops and recreates %s in its transaction', dep.names, dep.read, dep.them)
                when dep.names is not null
                  then format('; %s %s it: the change needs %s dropped and recreated by hand', dep.names, dep.read, dep.them)
           end as dependents_clause,
           case when dep.names is not null and dep.recreatable then regexp_replace(format(
             '-- %s %s the column: dropped and recreated around the change, with options, owner, grants, comment and '
             'indexes (a materialized view filled again here, under the lock: time it on a copy)', dep.names, dep.read),
             '[\r\n]+', E'\n-- ', 'g')
           end as dependents_note,
           case when dep.names is not null and not dep.recreatable then regexp_replace(format(
             '-- not printed: %s %s the column, and PostgreSQL refuses to change its type under %s; drop %s '
             '(and what reads %s), then run: alter table %I.%I alter column %I type %s; then recreate '
             '%s as they were (views from pg_get_viewdef, materialized views refilled)', dep.names, dep.read, dep.them, dep.them,
             dep.them, n.nspname, t.relname, a.attname, tc.new_type, dep.them),
             '[\r\n]+', E'\n-- ', 'g')
           end as dependents_advice
    from (select exists (select from pg_catalog.pg_partitioned_table pt
                         where pt.partrelid = t.oid
                           and (a.attnum = any (pt.partattrs::int2[])
                                or exists (select from pg_catalog.pg_depend d
                                           where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid
                                             and d.refobjid = t.oid and d.refobjsubid = a.attnum and d.deptype = 'a'))) as is_key) pk,
         (select string_agg(format('%I.%I', n.nspname, i.relname), ', ' order by i.relname) as names
          from pg_catalog.pg_index x
          join pg_catalog.pg_class i on i.oid = x.indexrelid
          where x.indrelid = t.oid and not x.indisvalid and a.attnum = any (x.indkey::int2[])) iv
  ) change
