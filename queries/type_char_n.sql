-- id: type_char_n
-- category: type_char_n
-- area: types
-- title: char(n) columns
-- severity: info..low, default low
-- effort: medium
-- group: check
-- params: small_rows=1000
-- grading: info on an empty or tiny table (below small_rows, 1,000 estimated rows; never analyzed, a
--   file too small to hold that many), where the padding costs nothing yet: Synapse's one-row lock tables hold
--   char(1) 'X' by design; info too when every value ANALYZE sampled fills all n characters
--   (fixed-width codes such as ISO country codes, Umami's session.country): no value is padded,
--   so nothing compares or matches oddly, and the move only changes the type; info when every row
--   ANALYZE sampled is NULL (nothing padded yet), and when the column references a char(n) key
--   (the steps as advice: move it with the parent's key) or char(n) columns reference it (move
--   them with it); else low.
-- rationale: char(n) pads values with spaces to n characters, ignores trailing spaces in
--   comparisons but not in LIKE or regular expressions, and stores no more efficiently than
--   text. The conversion to text strips the padding, so it rewrites the table: do it by
--   expand-contract (add a text column, keep it in sync, backfill in batches, swap), not by
--   ALTER COLUMN TYPE in place under an ACCESS EXCLUSIVE lock. The limit of n characters is
--   kept, as a check on the new column validated before the swap.
--
-- Finds columns declared char(n) (bpchar) on tables, partitions left out. Whether the sampled
-- values fill n: pg_stats' most common values and histogram bounds of the column (the table's own
-- row, or the whole tree's for a partitioned table), none ending in a space (bpchar's text keeps
-- the padding); null when ANALYZE kept no value, and not read on a table already info for its
-- size. evidence.sampled_values_fill_n. Returns the
-- fixed finding aliases (queries/README.md).
with char_columns as materialized (
  -- every char(n) column, in the one pass over pg_attribute that the query and char_children share
  select a.attrelid, a.attnum, a.attname, a.atttypid, a.atttypmod, a.attnotnull, a.attidentity, a.attgenerated,
         a.attinhcount
  from pg_catalog.pg_attribute a
  where a.atttypid = 'bpchar'::regtype and a.attnum > 0 and not a.attisdropped
),
char_children as materialized (
  -- the char(n) columns whose foreign keys reference a column (Vaultwarden's groups.uuid, char(36),
  -- referenced by groups_users.groups_uuid, char(36)): the key moved alone compares them as text,
  -- and their indexes no longer serve its lookups (a group's delete scanned groups_users). From
  -- the char(n) columns to their tables' foreign keys (pg_constraint has no index on confrelid: a
  -- lookup per char(n) column scanned it, 7 s for 1,000 columns on the 1,000-schema benchmark;
  -- and every foreign key to its columns probed pg_attribute 9,000 times there, 100 ms)
  select k.confrelid, u.parent_attnum,
         string_agg(format('%I.%I.%I', cn.nspname, cc.relname, ca.attname), ', ' order by cn.nspname, cc.relname, ca.attname)
           as children
  from char_columns ca
  join pg_catalog.pg_constraint k on k.conrelid = ca.attrelid and k.contype = 'f' and k.conparentid = 0
                                  and ca.attnum = any (k.conkey)
  cross join lateral rows from (pg_catalog.unnest(k.conkey), pg_catalog.unnest(k.confkey)) u(child_attnum, parent_attnum)
  join pg_catalog.pg_class cc on cc.oid = k.conrelid
  join pg_catalog.pg_namespace cn on cn.oid = cc.relnamespace
  where u.child_attnum = ca.attnum
  group by k.confrelid, u.parent_attnum
)
select n.nspname as schema_name,
       t.relname as table_name,
       format('%I.%I.%I', n.nspname, t.relname, a.attname) as object,
       'column' as object_type,
       case when size.rows_at_most < $1::bigint or sv.fill_n or sv.all_null or rf.parent is not null or rc.children is not null then 'info' end as severity,
       case when sv.all_null
            then format('column %I.%I.%I is %s, and every row ANALYZE sampled holds NULL: no value is padded yet, and the move to text (with the limit kept as a check) is optional',
                        n.nspname, t.relname, a.attname, format_type(a.atttypid, a.atttypmod))
            when sv.fill_n
            then format('column %I.%I.%I is %s, and every value ANALYZE sampled fills all %s characters: none is padded, so nothing compares or matches oddly today and the move to text (with the limit kept as a check) is optional',
                        n.nspname, t.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.atttypmod - 4)
            else format('column %I.%I.%I is %s: values are blank-padded and compare inconsistently; use text (the fix keeps the limit as a check)',
                        n.nspname, t.relname, a.attname, format_type(a.atttypid, a.atttypmod)) end || case when rd.names is not null then format('; %s read it: %s', rd.names, case when us.names is null then 'the swap drops and recreates them over the new column' else 'they need dropping and recreating over the new column' end) else '' end
         || case when rf.parent is not null
                 then format('; it references %s, which is %s too: moved alone, it would compare as text with the parent''s key (a join no longer uses the key''s index, and fk_type_mismatch reports it), so move it with the parent''s key, in the same window',
                             rf.parent, format_type(a.atttypid, a.atttypmod))
                 when rc.children is not null
                 then format('; %s %s reference it: moved alone, the key would compare them as text, and their indexes would no longer serve its lookups (a delete of a row here would scan them; fk_type_mismatch reports them), so move them with it, in the same window',
                             case when strpos(rc.children, ', ') > 0 then 'char(n) columns' else 'char(n) column' end, rc.children)
                 else '' end as message,
       json_build_object('dependent_views', rd.names, 'column_used_by', us.names, 'column_type', format_type(a.atttypid, a.atttypmod),
                         'sampled_values_fill_n', sv.fill_n, 'sampled_all_null', sv.all_null,
                         'references_char_key', rf.parent, 'char_referencing_columns', rc.children) as evidence,
       case when rf.parent is not null
            then regexp_replace('-- not printed as a script: ' || rf.parent || ' is char(n) too; change the parent''s key and the '
                                || 'columns that reference it together (type_char_n names each), in one window' , '[\r\n]+', E'\n-- ', 'g')
            when rc.children is not null
            then regexp_replace('-- not printed as a script: ' || rc.children || ' reference it and are char(n) too; change this key and '
                                || 'them together (type_char_n names each), in one window' , '[\r\n]+', E'\n-- ', 'g')
            else ec.remediation end
         as remediation,
       case when rf.parent is null and rc.children is null then ec.undo else '-- nothing to undo: the advice runs nothing' end as undo,
       format('%I.%I.%I', n.nspname, t.relname, a.attname) as identity
from char_columns a
join pg_catalog.pg_class t on t.oid = a.attrelid
join pg_catalog.pg_namespace n on n.oid = t.relnamespace
-- include: table_size
cross join lateral (select 'text' as new_type, 'text' as suffix) tc
-- whether every sampled value fills n (null without a sampled value; not read on a table already
-- info for its size: a lookup in pg_stats per column, 80 us each at 1,000 schemas)
cross join lateral (
  select st.fill_n, coalesce(st.all_null, false) as all_null
  from (select null) x
  left join lateral (
           select (select bool_and(v !~ ' $')
                   from unnest(coalesce(s.most_common_vals::text::text[], '{}') || coalesce(s.histogram_bounds::text::text[], '{}')) v)
                    as fill_n,
                  -- every sampled row NULL (Authelia's signature_claims): nothing padded to judge
                  s.null_frac = 1 as all_null
           from pg_catalog.pg_stats s
           where a.atttypmod > 4 and not coalesce(size.rows_at_most < $1::bigint, false)
             and s.schemaname = n.nspname and s.tablename = t.relname and s.attname = a.attname
             and s.inherited = (t.relkind = 'p')) st on true) sv
-- a foreign key of the column to a char(n) key (Authelia's *_session.challenge_id to
-- oauth2_consent_session.challenge_id, char(36)): the child moved alone compares as text with the
-- parent's key, a new fk_type_mismatch, and joins no longer use the key's index
cross join lateral (
  select (select format('%I.%I.%I', pn.nspname, pc.relname, pa.attname)
          from pg_catalog.pg_constraint k
          cross join lateral rows from (pg_catalog.unnest(k.conkey), pg_catalog.unnest(k.confkey)) u(child_attnum, parent_attnum)
          join pg_catalog.pg_attribute pa on pa.attrelid = k.confrelid and pa.attnum = u.parent_attnum
          join pg_catalog.pg_class pc on pc.oid = k.confrelid
          join pg_catalog.pg_namespace pn on pn.oid = pc.relnamespace
          where k.conrelid = t.oid and k.contype = 'f' and u.child_attnum = a.attnum
            and pa.atttypid = 'bpchar'::regtype
          order by k.conname limit 1) as parent) rf
-- the char(n) columns whose foreign keys reference it (char_children, above)
left join char_children rc on rc.confrelid = t.oid and rc.parent_attnum = a.attnum
-- include: expand_contract_column
-- not a column an inheritance child has from its parent (Concourse's pipeline_build_events_N ()
-- INHERITS (build_events)): PostgreSQL refuses to alter it there ("cannot alter inherited column"),
-- and the parent's change reaches it
where a.attinhcount = 0
  -- the old column an expand-contract move of this tool left for its grace period (deprecated_object's)
  and a.attname not like 'deprecated\_%'
  and t.relkind in ('r', 'p')
  and not t.relispartition
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp_)'
  and not exists (select 1 from pg_catalog.pg_depend d
                  where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
order by n.nspname, t.relname, a.attnum
