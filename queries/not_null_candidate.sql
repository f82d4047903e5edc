-- id: not_null_candidate
-- category: not_null_candidate
-- area: integrity
-- title: Nullable columns that hold no NULLs
-- severity: info..medium, default low
-- effort: low
-- group: check
-- params: min_rows=1000, max_mod_pct=10
-- grading: low; medium when the column is in a foreign key of several columns, MATCH SIMPLE,
--   which checks nothing on a row where any of them is NULL, and the key's other columns
--   reference a unique key of the parent on their own (Kong's ws_id in (upstream_id, ws_id)), and
--   no key on those columns alone to the same parent checks that reference beside it; info,
--   the steps as advice, when nothing says the application writes the column:
--   every sampled row holds its constant default (Formbricks' optional columns, which the
--   application sets to NULL later), or a function of the database inserts rows into its table
--   without naming it (Hatchet's trigger v1_dag_insert_function, whose rows have no task_id), or a
--   CHECK makes another column of the row NULL in some state of it (Ente's soft deletes, which
--   clear a row's data columns), or it holds request metadata (ip, ip_address, user_agent,
--   referer, fingerprint: a write from a job on the server has none; Rallly's sessions).
-- rationale: A column that never holds NULL but is declared nullable hides an invariant from the
--   planner, from readers of the schema and from the application, and lets the first NULL in
--   unnoticed. SET NOT NULL alone scans the table under ACCESS EXCLUSIVE; instead add
--   CHECK (col is not null) NOT VALID, VALIDATE it (SHARE UPDATE EXCLUSIVE), then SET NOT NULL,
--   which on PostgreSQL 12+ uses the validated check and skips the scan, and drop the check.
--   The fix stops first if the column holds NULLs; SET NOT NULL runs only once the check is
--   validated, and the check is dropped only once the column is NOT NULL. On PostgreSQL 18 the
--   NOT NULL constraint itself is added NOT VALID and validated: two steps, no helper check.
--
-- Finds nullable columns whose pg_stats null_frac is 0 on tables of at least `min_rows`
-- estimated rows whose statistics are fresh: fewer than `max_mod_pct` percent of the rows
-- modified since the last ANALYZE (pg_stat_user_tables.n_mod_since_analyze). The statistics
-- (pg_stats) outlive the counters: after pg_stat_reset(), a crash, a promoted standby or a copy
-- (createdb -T) the table's last analyze time is unknown and its modifications are counted from
-- the reset only. Such a table is judged all the same (its fix counts the NULLs first), the
-- finding's confidence medium and evidence.statistics_age "unknown" (Formbricks after a reset:
-- the check had said nothing, "0 skipped").
-- Partitions are left out (their parent's columns are what to change): a partitioned table is
-- judged by its leaf partitions' statistics (every leaf holding rows analyzed without a NULL,
-- fresh; rows summed), and its fix runs on it (the check and NOT NULL reach every partition).
-- Nullable by design, and
-- left out too: columns of a foreign key with ON DELETE or ON UPDATE SET NULL (NOT NULL would
-- make deleting the parent fail), and date/timestamp columns without a default (an event time
-- such as shipped_at or finished_at, NULL until the event happens; created_at-style columns
-- have a default and stay candidates), and columns a CHECK reads for their NULLs (IS [NOT] NULL,
-- num_nulls, num_nonnulls, coalesce, nullif, IS DISTINCT FROM: NULL is a valid state of some
-- rows). A column with a validated CHECK (col IS NOT NULL) is left out too: the rule is enforced already (the expand-contract runbooks leave one on a new column
-- until their swap). Returns the fixed finding aliases (queries/README.md).
-- Info, the steps as advice (see grading): a single sampled value (n_distinct 1) equal to the
-- column's constant default ('add'::mode, false, 0, '{}'::jsonb) says only that no writer has set
-- the column yet; a function (plpgsql or sql, not an extension's) whose body has an INSERT INTO
-- the table and never names a column without a default writes rows NOT NULL would refuse (a
-- reading of the body's text: evidence.inserted_without_by names the functions); a default
-- declared NULL (evidence.null_default) says NULL is a state the schema allows; a CHECK of the
-- table that makes another column NULL in some state of the row (IS NULL, num_nulls,
-- num_nonnulls: evidence.null_state_checks) says the application clears columns then, a soft
-- delete say, which may clear this one too.
with set_null as (
  select distinct k.conrelid, c.attnum
  from pg_catalog.pg_constraint k
  cross join lateral unnest(k.conkey) c(attnum)
  where k.contype = 'f' and (k.confdeltype = 'n' or k.confupdtype = 'n')
),
-- The columns ANALYZE saw without a NULL, with what they are judged by: a table's own statistics,
-- or a partitioned table's from its leaf partitions (PostgreSQL never analyzes a partitioned
-- table on its own, and the NOT NULL is declared on it for all of them: Gisia's notes and
-- activities): every leaf that holds rows analyzed without a NULL, fresh, their rows summed
-- (an empty leaf, analyzed or never, holds nothing to judge).
-- include: partition_leaves
-- the functions that insert into some table (their bodies, for the test below), read once
inserting_functions as materialized (
  select p.oid, p.proname, p.prosrc
  from pg_catalog.pg_proc p
  join pg_catalog.pg_language l on l.oid = p.prolang
  where l.lanname in ('plpgsql', 'sql') and p.prosrc ~* '\minsert\s+into\M'
    and not exists (select from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
),
judged as (
  select t.oid, a.attnum, s.null_frac, t.reltuples as rows, greatest(st.last_analyze, st.last_autoanalyze) as last_analyze,
         st.n_mod_since_analyze, null::bigint as leaves,
         st.last_analyze is null and st.last_autoanalyze is null as age_unknown,
         case when s.n_distinct = 1 then (s.most_common_vals::text::text[])[1] end as only_value
  from pg_catalog.pg_stats s
  join pg_catalog.pg_namespace n on n.nspname = s.schemaname
  join pg_catalog.pg_class t on t.relnamespace = n.oid and t.relname = s.tablename
  join pg_catalog.pg_attribute a on a.attrelid = t.oid and a.attname = s.attname
  -- the table's analyze counters, from the pg_stat_get_* functions pg_stat_user_tables is made of
  -- (a join to the view built it, twenty counters per table grouped over pg_index, for every table)
  cross join lateral (select pg_catalog.pg_stat_get_last_analyze_time(t.oid) as last_analyze,
                             pg_catalog.pg_stat_get_last_autoanalyze_time(t.oid) as last_autoanalyze,
                             pg_catalog.pg_stat_get_mod_since_analyze(t.oid) as n_mod_since_analyze) st
  where not s.inherited
    and s.null_frac = 0
    and not a.attnotnull
    and a.attnum > 0
    and not a.attisdropped
    -- a generated column is NULL where its expression is (Supabase Auth's identities.email,
    -- lower(identity_data->>'email'), NULL for phone identities): no write sets it, NOT NULL
    -- would refuse the application's rows
    and a.attgenerated = ''
    and t.relkind = 'r'
    and not t.relispartition
    and t.reltuples >= $1::bigint
    and st.n_mod_since_analyze <= t.reltuples * $2::numeric / 100
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
  union all
  select pl.root, pa.attnum, max(s.null_frac), sum(pl.reltuples), min(pl.last_analyzed),
         sum(pl.n_mod_since_analyze)::bigint, count(*),
         bool_or(pl.last_analyzed is null),
         case when bool_and(s.n_distinct = 1)
                   and min((s.most_common_vals::text::text[])[1]) = max((s.most_common_vals::text::text[])[1])
              then min((s.most_common_vals::text::text[])[1]) end
  from partition_leaves pl
  join pg_catalog.pg_attribute pa on pa.attrelid = pl.root and pa.attnum > 0 and not pa.attisdropped and not pa.attnotnull
                                  and pa.attgenerated = ''
  left join pg_catalog.pg_stats s
    on s.schemaname = pl.leaf_schema and s.tablename = pl.leaf_name and s.attname = pa.attname and not s.inherited
  group by pl.root, pa.attnum
  having count(s.null_frac) = count(*) and max(s.null_frac) = 0
     and bool_and(pl.n_mod_since_analyze <= greatest(pl.reltuples, 0) * $2::numeric / 100)
     and sum(pl.reltuples) >= $1::bigint
)
select n.nspname as schema_name,
       t.relname as table_name,
       format('%I.%I.%I', n.nspname, t.relname, a.attname) as object,
       'column' as object_type,
       case when w.unwritten then 'info' when fk.name is not null then 'medium' end as severity,
       -- ANALYZE reads a sample (30,000 rows at the default statistics target), not every row: the
       -- fix counts the NULLs before it adds anything
       format('column %I.%I.%I is nullable, and ANALYZE''s sample of its table (about %s rows) held no NULL; '
              'if that is an invariant, declare it not null (the fix counts the NULLs first)', n.nspname, t.relname, a.attname, j.rows::bigint)
         || case when j.leaves is not null then format(' (partitioned: %s partitions, each sampled without a NULL)', j.leaves)
                 else '' end
         || case when fk.name is not null
                 then format('; it is in foreign key %s (%s), which checks nothing on a row where any of them is NULL '
                             '(MATCH SIMPLE): a NULL here would leave the row''s reference through the others unchecked',
                             fk.name, fk.columns) else '' end
         || case when w.default_only
                 then format('; but every sampled row holds its default (%s): no writer has set it yet, and one that writes '
                             'NULL there later would be refused', cdf.expr) else '' end
         || case when w.null_default
                 then format('; but its default is declared NULL (%s): NULL is a state the schema means to allow (Authelia''s challenge_id, made nullable with DEFAULT NULL by a migration)', cdf.expr)
                 else '' end
         || case when w.inserted_without_by is not null
                 then format('; but %s %s rows into %I.%I without naming it (a reading of the function''s text): NOT NULL would '
                             'refuse them', w.inserted_without_by,
                             case when strpos(w.inserted_without_by, ', ') > 0 then 'insert' else 'inserts' end,
                             n.nspname, t.relname) else '' end
         || case when w.null_states is not null
                 then format('; but %s %s other columns of the row NULL in some state of it (a soft delete that clears its data): '
                             'the application may clear this one then too, and the sample held no such row',
                             case when strpos(w.null_states, ', ') > 0 then 'checks' else 'check' end || ' ' || w.null_states,
                             case when strpos(w.null_states, ', ') > 0 then 'make' else 'makes' end) else '' end
         || case when w.request_metadata
                 then '; but it holds request metadata (an address, a user agent, a fingerprint), which a write from a job on '
                      'the server or from a client that sends none does not have: a sample without NULLs says little' else '' end
         || case when j.age_unknown
                 then '; the statistics'' age is unknown (the server''s counters were reset since the last ANALYZE): NULLs '
                      'written since would not show' else '' end as message,
       json_build_object('null_frac', j.null_frac, 'rows_estimate', j.rows::bigint,
                         'last_analyze', j.last_analyze,
                         'n_mod_since_analyze', j.n_mod_since_analyze, 'partitions', j.leaves,
                         'default_only', w.default_only, 'inserted_without_by', w.inserted_without_by,
                         'null_default', w.null_default, 'null_state_checks', w.null_states,
                         'request_metadata', w.request_metadata,
                         'composite_foreign_key', fk.name,
                         'statistics_age', case when j.age_unknown then 'unknown' end,
                         'confidence_basis', case when j.age_unknown then json_build_array(
                           'the last ANALYZE time is unknown: the statistics counters were reset since (pg_stat_reset, a crash, a promotion or a copy), and writes before the reset are not counted') end) as evidence,
       case when j.age_unknown then 'medium' else '' end as confidence,
       case when w.unwritten then E'-- nothing to paste yet: once the application is known to write it on every row, the steps are:\n' else '' end ||
       pg_catalog.regexp_replace(concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         case when v.pg18
              then E'-- 1. stop here if the column holds NULLs, else add the NOT NULL constraint NOT VALID (PostgreSQL 18):\n'
                   '--    new rows obey it at once, existing rows are not scanned under the exclusive lock'
              else '-- 1. stop here if the column holds NULLs, else add a check that new rows obey at once' end,
         format(E'do $$\ndeclare\n  nulls bigint;\nbegin\n'
                '  select count(*) into nulls from %I.%I where %I is null;\n'
                '  if nulls > 0 then\n'
                '    raise exception ''%% holds %% NULLs: fill them (%%), then run this script again'', %L, nulls, %L;\n'
                '  end if;\n'
                '  alter table %I.%I add constraint %I %s not valid;\nend $$;',
                n.nspname, t.relname, a.attname, format('%I.%I.%I', n.nspname, t.relname, a.attname),
                format('update %I.%I set %I = ... where %I is null', n.nspname, t.relname, a.attname, a.attname),
                n.nspname, t.relname, k.check_name,
                case when v.pg18 then format('not null %I', a.attname) else format('check (%I is not null)', a.attname) end),
         case when v.pg18 then '-- 2. validate it without blocking writes (SHARE UPDATE EXCLUSIVE)'
              else '-- 2. validate it without blocking writes' end,
         format('alter table %I.%I validate constraint %I;', n.nspname, t.relname, k.check_name),
         case when not v.pg18 then concat_ws(E'\n',
           '-- 3. set not null only once the check is validated (then it needs no scan under the exclusive lock)',
           format(E'do $$\nbegin\n'
                  '  if not exists (select from pg_catalog.pg_constraint c where c.conrelid = %L::regclass and c.conname = %L and c.convalidated) then\n'
                  '    raise exception ''check %% is not validated: clean up the NULLs, validate it, then run this step again'', %L;\n'
                  '  end if;\n'
                  '  alter table %I.%I alter column %I set not null;\nend $$;',
                  format('%I.%I', n.nspname, t.relname), k.check_name, k.check_name, n.nspname, t.relname, a.attname),
           '-- 4. the check is redundant once the column is not null',
           format(E'do $$\nbegin\n'
                  '  if not exists (select from pg_catalog.pg_attribute a where a.attrelid = %L::regclass and a.attname = %L and a.attnotnull) then\n'
                  '    raise exception ''%% is not yet not null: keep check %%, run step 3 first'', %L, %L;\n'
                  '  end if;\n'
                  '  alter table %I.%I drop constraint if exists %I;\nend $$;',
                  format('%I.%I', n.nspname, t.relname), a.attname, format('%I.%I.%I', n.nspname, t.relname, a.attname),
                  k.check_name, n.nspname, t.relname, k.check_name)) end),
         case when w.unwritten then '^(?!--)|(\n)(?!--)' else '^$.' end, '\1-- ', 'g') as remediation,
       case when w.unwritten then '-- nothing to undo: the advice runs nothing' else concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         -- on 18 dropping the not-null constraint makes the column nullable again
         case when not v.pg18 then
           format('alter table %I.%I alter column %I drop not null;', n.nspname, t.relname, a.attname) end,
         format('alter table %I.%I drop constraint if exists %I;', n.nspname, t.relname, k.check_name)) end as undo,
       format('%I.%I.%I', n.nspname, t.relname, a.attname) as identity
from judged j
join pg_catalog.pg_class t on t.oid = j.oid
join pg_catalog.pg_namespace n on n.oid = t.relnamespace
join pg_catalog.pg_attribute a on a.attrelid = t.oid and a.attnum = j.attnum
left join set_null sn on sn.conrelid = t.oid and sn.attnum = a.attnum
-- PostgreSQL 18 adds a NOT NULL constraint NOT VALID and validates it: no helper check
cross join (select pg_catalog.current_setting('server_version_num')::int >= 180000 as pg18) v
-- the generated name: at most 63 bytes and free among the schema's relations and the table's
-- constraints, else cut to 54 bytes (on a character boundary) plus 8 hex digits of its md5
cross join lateral (select t.relname || '_' || a.attname || '_not_null' as base) b
cross join lateral (
  select array[b.base] as bases,
         array[exists (select from pg_catalog.pg_class c where c.relnamespace = n.oid and c.relname = b.base)
               or exists (select from pg_catalog.pg_constraint c where c.conrelid = t.oid and c.conname = b.base)] as taken) fit
-- include: fitted_names
cross join lateral (select fitted.names[1] as check_name) k
-- the column's default, and its literal's value as text to compare with the sampled value
cross join lateral (select t.oid as relid, a.attnum) dc
-- include: constant_default
cross join lateral (
  select coalesce(j.only_value = cdf.literal
                  or (j.only_value in ('t', 'f') and cdf.literal in ('true', 'false') and j.only_value = left(cdf.literal, 1)), false)
           as default_only,
         -- a row inserted without the column takes its default: only a column with none (or a NULL
         -- one) gets a NULL that way (Supabase Storage's objects.created_at, default now(), was
         -- called refused)
         (select string_agg(distinct f.proname, ', ' order by f.proname)
          from inserting_functions f
          where (cdf.expr is null or cdf.null_default)
            and f.prosrc ~* ('\minsert\s+into\s+("?[[:alnum:]_]+"?\.)?"?'
                             || pg_catalog.regexp_replace(t.relname, '([^[:alnum:]_])', '\\\1', 'g') || '"?[\s(]')
            and f.prosrc !~* ('\m' || pg_catalog.regexp_replace(a.attname, '([^[:alnum:]_])', '\\\1', 'g') || '\M')) as inserted_without_by,
         coalesce(cdf.null_default, false) as null_default,
         -- a CHECK that makes another column of the row NULL in some state of it (Ente's entity_data:
         -- (is_deleted AND encrypted_data IS NULL) OR (NOT is_deleted AND encrypted_data IS NOT NULL)):
         -- the application clears columns in that state, a soft delete, and cleared header beside
         -- encrypted_data, which the fix's NOT NULL then refused; a sample without such rows says nothing
         (select string_agg(pg_catalog.quote_ident(k.conname), ', ' order by k.conname)
          from pg_catalog.pg_constraint k
          where k.conrelid = t.oid and k.contype = 'c' and not (a.attnum = any (k.conkey))
            and pg_catalog.pg_get_constraintdef(k.oid) ~* '(\mIS\s+NULL\M|\mnum_nulls\s*\(|\mnum_nonnulls\s*\()') as null_states) w0
-- request metadata, which a write from a server-side job or a client that sends none does not have
-- (Rallly's sessions.ip_address: a sign-in on the server has no client IP, and the fix's NOT NULL
-- refused it): the sample holding none says little
cross join lateral (select a.attname ~* '^(ip|ip_?addr(ess)?|remote_?addr(ess)?|client_?ip|user_?agent|referr?er|fingerprint)$'
                             as request_metadata) rm
cross join lateral (select w0.*, rm.request_metadata, w0.default_only or w0.inserted_without_by is not null or w0.null_default
                                 or w0.null_states is not null or rm.request_metadata as unwritten) w
-- a foreign key of several columns, MATCH SIMPLE, that holds the column, whose other columns
-- reference a unique key of the parent on their own: a row where this one is NULL is not checked,
-- and its reference through the others goes unchecked (Kong's (upstream_id, ws_id) -> upstreams
-- (id, ws_id): a NULL ws_id; not a NULL upstream_id, which references no upstream at all, nor the
-- realistic sample's (organization_id, product_id) -> products for a line without a product)
left join lateral (
  select pg_catalog.quote_ident(k.conname) as name,
         (select string_agg(pg_catalog.quote_ident(ka.attname), ', ' order by o.ord)
          from unnest(k.conkey) with ordinality o(attnum, ord)
          join pg_catalog.pg_attribute ka on ka.attrelid = k.conrelid and ka.attnum = o.attnum) as columns
  from pg_catalog.pg_constraint k
  where k.conrelid = t.oid and k.contype = 'f' and k.confmatchtype = 's' and cardinality(k.conkey) > 1
    and a.attnum = any (k.conkey)
    and exists (select from pg_catalog.pg_index u
                where u.indrelid = k.confrelid and u.indisunique and u.indisvalid
                  and u.indpred is null and u.indexprs is null
                  and (u.indkey::int2[])[0:u.indnkeyatts - 1] operator(pg_catalog.<@)
                      array(select k.confkey[i] from pg_catalog.generate_subscripts(k.conkey, 1) i where k.conkey[i] <> a.attnum))
    -- unless a key on the others alone to the same parent checks that reference (missing_fk's fix
    -- for a nullable tenant adds one beside the composite key): a NULL here leaves the tenant unchecked, not the reference
    and not exists (select from pg_catalog.pg_constraint s
                    where s.conrelid = k.conrelid and s.confrelid = k.confrelid and s.contype = 'f' and s.oid <> k.oid
                      and not a.attnum = any (s.conkey) and s.conkey operator(pg_catalog.<@) k.conkey
                      and k.conkey operator(pg_catalog.<@) (s.conkey || a.attnum))
  order by k.conname limit 1) fk on true
where sn.conrelid is null
  and not (a.atttypid in ('date'::regtype, 'timestamp'::regtype, 'timestamptz'::regtype) and not a.atthasdef)
  and not a.attnotnull
  and not exists (select from pg_catalog.pg_constraint k
                  where k.conrelid = t.oid and k.contype = 'c' and k.convalidated and k.conkey = array[a.attnum]
                    and pg_catalog.pg_get_constraintdef(k.oid) = format('CHECK ((%I IS NOT NULL))', a.attname))
  -- the old column an expand-contract move left for its grace period: its swap made it nullable on
  -- purpose (writers no longer fill it)
  and a.attname not like 'deprecated\_%'
  -- a CHECK that reads the column's NULLs declares NULL a valid state of it (Lemmy:
  -- (voted_at IS NULL) = (vote_is_upvote IS NULL), num_nonnulls(post_id, comment_id) >= 2 for one
  -- kind of row): a sample without those rows is no invariant. A plain "col IS NOT NULL" is not one.
  and not exists (select from pg_catalog.pg_constraint k
                  cross join lateral (select pg_catalog.pg_get_constraintdef(k.oid) as def) d
                  where k.conrelid = t.oid and k.contype = 'c' and a.attnum = any (k.conkey)
                    and d.def ~* '(\mIS\s+(NOT\s+)?NULL\M|\mnum_nulls\s*\(|\mnum_nonnulls\s*\(|\mcoalesce\s*\(|\mnullif\s*\(|\mIS\s+(NOT\s+)?DISTINCT\s+FROM\M)'
                    and d.def !~ ('^CHECK \(\(' || pg_catalog.regexp_replace(pg_catalog.quote_ident(a.attname), '([^[:alnum:]_])', '\\\1', 'g')
                                  || ' IS NOT NULL\)\)( NOT VALID)?$'))
order by n.nspname, t.relname, a.attnum
