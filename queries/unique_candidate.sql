-- id: unique_candidate
-- category: unique_candidate
-- area: integrity
-- title: Columns that look unique but are not constrained
-- severity: info..low, default low
-- effort: low
-- group: check
-- params: min_rows=1000, long_bytes=32, tenant_keys=(config)
-- grading: info when no index has the column first and its values are long (ANALYZE's average
--   width from long_bytes, 32 bytes: tokens, URLs; Plausible's OAuth tokens and billing URLs):
--   nothing looks rows up by it, and long values are distinct by chance of their length more
--   often than by a rule; info too when a foreign key on the column alone references a parent, or
--   its name does (<table>_id: a parent may have many such rows by design: one each is the data
--   so far), or when it is in a foreign key beside other columns (Hydra's (client_id, nid)), or
--   when it is an id of another entity (<x>_id, <x>Id) that a non-unique index holds (Hydra's
--   request_id, one row per token refresh; Temporal's workflow_id, one row per run), or when it
--   holds links (named url, uri, link, href, or values starting http:// or https://), or is a
--   display name (name, title, label, any <x>_name but a login's: OpenFGA's store.name), a tenant column, a
--   polymorphic reference (<x>_type beside it), ordered by more columns in a non-unique index (a
--   version per row), or has a constant default (every row written without it takes it: listmonk's
--   campaign_media.filename, default ''), or is a column of a link table (a unique key of two
--   foreign key columns or more keys its rows), or an id of another entity that no index has
--   first (Coder's audit_logs.request_id, random uuids; Cal.com's "externalId"), or on a
--   tenant's table whose tenant column can be NULL (the key (column, tenant) would not check rows
--   whose tenant is NULL: Ory Kratos' identities.organization_id): else low.
--   Info findings give the steps as advice.
-- rationale: A column whose values are all distinct (an email, a slug, an external code) but has
--   no unique index lets the first duplicate in silently, usually through a race between two
--   requests that both checked first. The fix stops first if the column holds duplicates, then
--   builds a unique index concurrently, drops it again if a duplicate written meanwhile left it
--   invalid, and attaches a valid one as a constraint with ADD CONSTRAINT ... UNIQUE USING INDEX
--   (what information_schema and ORMs read as a uniqueness rule).
--
-- Finds columns on tables of at least `min_rows` estimated rows that no valid unique index
-- involves, whose statistics agree that no sampled value repeats (pg_stats n_distinct = -1 and
-- no most common values), and that either are of a text, varchar, char, citext or uuid type
-- with sampled values without whitespace (keys, not names or prose), or are named *email,
-- *username, *slug, *code or *number (those also of an integer type). A column with a single
-- repeated value in the sample is not a candidate: its fix would stop on the duplicates.
-- A unique index involves a column as a key column, in an expression or in its predicate: a
-- composite (organization_id, number), an expression (lower(email)) or a partial (where
-- deleted_at is null) unique index is a uniqueness rule someone chose, and a global one on the
-- column alone would contradict it. Integer and timestamp columns are all-distinct too often
-- to be flagged on statistics alone. Nor are secrets: a salted password hash, a salt, a digest or
-- an encrypted value is distinct by construction and NULL for some users (SSO), not a key (names
-- with pass, pwd, crypt, salt, secret or digest), nor key material (public_key, private_key, cert).
-- Nor are content hashes (a name with the word
-- sha, sha1, sha256, md5, checksum, hash, fingerprint or etag): they repeat whenever the content
-- does (GitLab's ci_pipelines.sha, a commit's in every pipeline run on it). A plain B-tree index
-- on the column alone becomes a duplicate of the unique one: the fix's last step drops it once the
-- constraint is there, and the undo builds it again first. On a tenant's table (one of its other
-- columns named in tenant_keys) the key is unique within each tenant: (column, tenant). Returns the fixed finding aliases
-- (queries/README.md).
select n.nspname as schema_name,
       t.relname as table_name,
       format('%I.%I.%I', n.nspname, t.relname, a.attname) as object,
       'column' as object_type,
       case when lk.advice_only then 'info' end as severity,
       format('column %I.%I.%I looks unique (all of the sampled values are distinct) but no unique index enforces it; '
              'if it is a key, a race can insert a duplicate', n.nspname, t.relname, a.attname)
         || case when tn.tenant is not null
                 then format('; the table is a tenant''s (%s): the key proposed is unique within each tenant, (%s, %s), which lets two tenants hold the same value',
                             tn.tenant, a.attname, tn.tenant)
                 else '' end
         || case when pi.name is not null
                 then format('; the plain index %s on it %s', pi.name,
                             case when lk.advice_only then 'would be dropped once a unique one took its place'
                                  else 'is dropped once the unique one has taken its place' end) else '' end
         || case when lk.long_unlooked
                 then format('; but no index has it first and its values are long (%s bytes on average): distinct by their length more likely than by a rule, unless it is a key nothing looks up yet', s.avg_width)
                 else '' end
         || case when tn.tenant_nullable
                 then format('; but %s can be NULL, and a key on (%s, %s) would not check rows whose tenant is NULL (a unique key counts no two NULLs equal): make it NOT NULL first, or the key NULLS NOT DISTINCT (PostgreSQL 15 on)',
                             tn.tenant, a.attname, tn.tenant)
                 when cdf.constant is not null
                 then format('; but it has a constant default (%s), which every row written without it takes: a key would refuse the second such row',
                             cdf.constant)
                 when lk.link_attribute is not null
                 then format('; but the table links rows of other tables (its key (%s) is made of foreign keys), and its other columns describe each link (a copy of the linked row''s value, say): one each so far is the data',
                             lk.link_attribute)
                 when lk.natural_key is not null
                 then format('; but no index has it first, and the table''s key (%s) leaves it out: it describes each row rather than names one, and nothing looks rows up by it; one each so far is the data, not yet a rule',
                             lk.natural_key)
                 when lk.parent is not null
                 then format('; but it references %s (%s), which lets a parent have many rows here: one each so far is the data, not yet a rule (a one-to-one relation only if the application says so)',
                             lk.parent, case when lk.declared then 'by a foreign key' else 'by its name, no foreign key declared' end)
                 when lk.link_like
                 then '; but it holds links, which many rows share once there are enough of them: distinct so far is the data, not yet a rule'
                 when lk.label_like
                 then '; but it is a display name, a label rather than a key: distinct so far is the data (a key only if the application says so, and on a table that soft-deletes rows a partial one over the live rows)'
                 when lk.tenant_like
                 then '; but it is a tenant column (tenant_keys), and a tenant owns many rows: one each so far is the data (a key only on a table of one row per tenant)'
                 when lk.type_column is not null
                 then format('; but it is a polymorphic reference (%s names what each row points at), which lets many rows point at one: one each so far is the data',
                             lk.type_column)
                 when lk.ordering_index is not null
                 then format('; but the index %s orders the rows of each of its values by more columns, so several are expected (a version per row, say): one each so far is the data',
                             lk.ordering_index)
                 when lk.plain_reference_index is not null
                 then format('; but it is an id of another entity that the index %s holds without uniqueness: one row each so far is the data, and the index says more are expected (a key only if the application says so)',
                             lk.plain_reference_index)
                 when lk.external_reference
                 then '; but it is an id of another entity (a request''s, a record''s in another system) that no index has first: nothing here looks rows up by it'
                      || case when a.atttypid = 'uuid'::regtype then ', and uuids are distinct by construction' else '' end
                      || ', so one each so far is the data, not yet a rule'
                 else '' end as message,
       json_build_object('n_distinct', s.n_distinct, 'rows_estimate', t.reltuples::bigint,
                         'column_type', format_type(a.atttypid, a.atttypmod), 'replaces_index', pi.name,
                         'avg_width', s.avg_width, 'first_in_an_index', lk.lead_indexed, 'references', lk.parent,
                         'tenant_column', tn.tenant, 'plain_reference_index', lk.plain_reference_index,
                         'ordering_index', lk.ordering_index, 'polymorphic_type_column', lk.type_column,
                         'constant_default', cdf.constant, 'tenant_nullable', tn.tenant_nullable, 'link_key', lk.link_attribute, 'natural_key', lk.natural_key, 'external_reference', lk.external_reference) as evidence,
       -- long values nothing looks up, or a foreign key's column: the steps as advice, for once
       -- someone confirms it is a key
       case when lk.advice_only then E'-- nothing to paste yet: once its owners confirm it is a key, the steps are:\n' else '' end
       || regexp_replace(concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         '-- 1. stop here if the column already holds duplicates (the unique build would fail on them)',
         format(E'do $$\ndeclare\n  duplicated bigint;\nbegin\n'
                '  select count(*) into duplicated from (select from %I.%I where %I is not null group by %s having count(*) > 1) d;\n'
                '  if duplicated > 0 then\n'
                '    raise exception ''%% holds %% duplicated values: list them with %%, deduplicate them, then run this script again'', %L, duplicated, %L;\n'
                '  end if;\nend $$;',
                n.nspname, t.relname, a.attname, tn.key_columns,
                format('%I.%I.%I', n.nspname, t.relname, a.attname),
                format('select %s, count(*) from %I.%I group by %s having count(*) > 1', tn.key_columns, n.nspname, t.relname, tn.key_columns)),
         '-- 2. build the unique index without blocking writes',
         format('create unique index concurrently if not exists %I on %I.%I (%s);', k.key_name, n.nspname, t.relname, tn.key_columns),
         '-- 3. a build that failed (a duplicate written meanwhile) leaves an invalid index: drop it',
         format(E'do $$\nbegin\n'
                '  if exists (select from pg_catalog.pg_index x where x.indexrelid = pg_catalog.to_regclass(%L) and not x.indisvalid) then\n'
                '    drop index %I.%I;\n'
                '    raise warning ''%% was left invalid by a duplicate and is dropped: deduplicate %%, then run this script again'', %L, %L;\n'
                '  end if;\nend $$;',
                format('%I.%I', n.nspname, k.key_name), n.nspname, k.key_name,
                format('%I.%I', n.nspname, k.key_name), format('%I.%I.%I', n.nspname, t.relname, a.attname)),
         '-- 4. the valid index as a UNIQUE constraint (information_schema and ORMs read constraints)',
         format(E'do $$\nbegin\n'
                '  if exists (select from pg_catalog.pg_index x where x.indexrelid = pg_catalog.to_regclass(%L) and x.indisvalid)\n'
                '     and not exists (select from pg_catalog.pg_constraint c where c.conrelid = %L::regclass and c.conname = %L) then\n'
                '    alter table %I.%I add constraint %I unique using index %I;\n'
                '  end if;\nend $$;',
                format('%I.%I', n.nspname, k.key_name), format('%I.%I', n.nspname, t.relname), k.key_name,
                n.nspname, t.relname, k.key_name, k.key_name),
         case when pi.name is not null then concat_ws(E'\n',
           format('-- 5. the plain index %I on the column %s the unique one: dropped once the constraint is there (drop index', pi.name,
                  case when tn.tenant is null then 'duplicates' else 'is a left prefix of' end),
           '-- concurrently cannot run in this guard: the plain drop takes a brief exclusive lock, bounded by lock_timeout)',
           format(E'do $$\nbegin\n'
                  '  if exists (select from pg_catalog.pg_constraint c where c.conrelid = %L::regclass and c.conname = %L) then\n'
                  '    drop index if exists %I.%I;\n'
                  '  end if;\nend $$;',
                  format('%I.%I', n.nspname, t.relname), k.key_name, n.nspname, pi.name)) end), case when lk.advice_only then '^(?!--)|(\n)(?!--)' else '^$.' end, '\1-- ', 'g') as remediation,
       case when lk.advice_only then '-- nothing to undo: the advice runs nothing' else concat_ws(E'\n',
         case when pi.name is not null then concat_ws(E'\n',
           format('-- first the plain index step 5 dropped, built again (it was: %s)', pi.definition),
           pi.rebuild) end,
         '-- the constraint, if it was added (its index goes with it), else the index:',
         'set lock_timeout = ''5s'';',
         format('alter table %I.%I drop constraint if exists %I;', n.nspname, t.relname, k.key_name),
         format('drop index concurrently if exists %I.%I;', n.nspname, k.key_name)) end as undo,
       format('%I.%I.%I', n.nspname, t.relname, a.attname) as identity
from pg_catalog.pg_stats s
join pg_catalog.pg_namespace n on n.nspname = s.schemaname
join pg_catalog.pg_class t on t.relnamespace = n.oid and t.relname = s.tablename
join pg_catalog.pg_attribute a on a.attrelid = t.oid and a.attname = s.attname
-- the tenant column of a tenant's table (the first of tenant_keys, $3, the table has, other than
-- the column): there the key is unique within each tenant (Lago's invoices.number: every tenant
-- numbers its own invoices), which is what a multi-tenant schema means, and weaker than a global
-- one; a composite unique index with the tenant already there is one of those that leave the
-- column out below. The column leads the key (column, tenant): lookups by it alone still find an
-- index, a plain index on it becomes a left prefix (dropped below, as a duplicate is), and one on
-- the tenant alone stays what it was
cross join lateral (
  select w.tenant[1] as tenant, concat_ws(', ', quote_ident(a.attname), quote_ident(w.tenant[1])) as key_columns,
         w.tenant[2] = 'nullable' as tenant_nullable
  from (select (select array[ta.attname::text, case when ta.attnotnull then 'not null' else 'nullable' end]
                from pg_catalog.unnest($3::text[]) with ordinality tk(name, rank)
                join pg_catalog.pg_attribute ta on ta.attrelid = t.oid and ta.attname = tk.name
                where ta.attnum > 0 and not ta.attisdropped and ta.attnum <> a.attnum
                  -- not a tenant column unique on its own here (the tenant's own table: AppFlowy's
                  -- af_workspace, whose key is workspace_id): (column, tenant) would enforce nothing
                  and not exists (select from pg_catalog.pg_index x
                                  where x.indrelid = t.oid and x.indisunique and x.indisvalid and x.indnkeyatts = 1
                                    and x.indkey[0] = ta.attnum and x.indpred is null)
                order by tk.rank limit 1) as tenant) w
) tn
-- the generated name: at most 63 bytes and free among the schema's relations and the table's
-- constraints, else cut to 54 bytes (on a character boundary) plus 8 hex digits of its md5
cross join lateral (select t.relname || '_' || concat_ws('_', a.attname, tn.tenant) || '_key' as base) b
cross join lateral (
  select array[b.base] as bases,
         array[exists (select from pg_catalog.pg_class c where c.relnamespace = n.oid and c.relname = b.base)
               or exists (select from pg_catalog.pg_constraint c where c.conrelid = t.oid and c.conname = b.base)] as taken) fit
-- include: fitted_names
cross join lateral (select fitted.names[1] as key_name) k
-- the column's constant default (listmonk's campaign_media.filename, default ''): every row written
-- without it takes that value
-- (looked up only for a column that has a default)
cross join lateral (select case when a.atthasdef then t.oid end as relid, a.attnum) dc
-- include: constant_default
-- long values nothing looks up: no index has the column as its first key; and the parent a
-- foreign key on the column alone references, or its name points to (Documenso's
-- EnvelopeItem."envelopeId": an envelope had one item each in the data, and holds many by design)
cross join lateral (
  select ix.lead_indexed, s.avg_width >= $2::int and not ix.lead_indexed as long_unlooked, fk.parent,
         exists (select from pg_catalog.pg_constraint f where f.conrelid = t.oid and f.contype = 'f' and a.attnum = any (f.conkey)) as declared,
         ri.index_name as plain_reference_index, lnk.link_like, oi.index_name as ordering_index, pm.type_column,
         (s.avg_width >= $2::int and not ix.lead_indexed) or fk.parent is not null or ri.index_name is not null
           or lnk.link_like or lnk.label_like or oi.index_name is not null or pm.type_column is not null
           or lnk.tenant_like or cdf.constant is not null or kc.link_columns is not null or coalesce(tn.tenant_nullable, false)
           or (ix.id_named and not ix.lead_indexed and fk.parent is null) or kc.natural_columns is not null as advice_only,
         kc.natural_columns as natural_key,
         lnk.label_like, lnk.tenant_like, kc.link_columns as link_attribute,
         ix.id_named and not ix.lead_indexed and fk.parent is null as external_reference
  from (select exists (select from pg_catalog.pg_index x where x.indrelid = t.oid and x.indkey[0] = a.attnum) as lead_indexed,
               -- named as an id of another entity (<x>_id, <x>Id), or as one of the schema's tables run
               -- together in lower case (Mattermost's fileinfo.postid: a post holds up to ten files;
               -- lib/reference_names.sql's loose names)
               a.attname ~ '(_id|[a-z0-9]I[dD])$'
                 or (a.attname like '%id' and a.attname ~ '^[a-z0-9]{3,}id$'
                     and exists (select from pg_catalog.pg_class pc
                                 cross join lateral (select pc.relname, true as loose_wanted) named
                                 -- include: reference_names
                                 where pc.relnamespace = n.oid and pc.oid <> t.oid and pc.relkind in ('r', 'p')
                                   and reference_names.loose and reference_names.column_name = a.attname)) as id_named) ix
  -- an id of another entity (<x>_id, <x>Id) that the schema's author indexed without uniqueness,
  -- alone or beside other columns: Hydra's refresh.request_id (every token refresh inserts a row
  -- of the same request), Temporal's executions_visibility.workflow_id in (namespace_id,
  -- workflow_id) (one workflow, many runs). Young data holds one row each; the index says more
  -- are expected
  cross join lateral (select (select i.relname
                      from pg_catalog.pg_index x
                      join pg_catalog.pg_class i on i.oid = x.indexrelid
                      where ix.id_named and x.indrelid = t.oid and not x.indisunique and x.indisvalid
                        and a.attnum = any ((x.indkey::int2[])[0:x.indnkeyatts - 1])
                      order by i.relname limit 1) as index_name) ri
  -- a non-unique index that orders the column's rows by more columns after it (Windmill's
  -- script.path in (workspace_id, path, created_at desc): a row per deployed version, the latest
  -- found first): its author expects several rows of each value
  cross join lateral (select (select i.relname
                      from pg_catalog.pg_index x
                      join pg_catalog.pg_class i on i.oid = x.indexrelid
                      -- its place among the key columns, from 1 (a slice counts from 1; indkey from 0)
                      cross join lateral (select pg_catalog.array_position((x.indkey::int2[])[0:x.indnkeyatts - 1], a.attnum) as at) p
                      where x.indrelid = t.oid and not x.indisunique and x.indisvalid and p.at is not null
                        -- a key column after it, other than a tenant's (an index on (column, tenant) only
                        -- scopes lookups to a tenant)
                        and exists (select from pg_catalog.unnest((x.indkey::int2[])[p.at:x.indnkeyatts - 1]) k(attnum)
                                    join pg_catalog.pg_attribute b on b.attrelid = t.oid and b.attnum = k.attnum
                                    where not (b.attname::text = any ($3::text[])))
                      order by i.relname limit 1) as index_name) oi
  -- the unique keys of two columns or more that say what a row is, and what the column is then: a
  -- link table's (each of its columns in a foreign key of the table: listmonk's
  -- campaign_media.filename, copied from the medium linked each time it is attached, describes the
  -- link), and a natural key beside the primary key that leaves the column out, when no index has
  -- the column first (Rallly's calendar_connections: (user_id, provider, provider_account_id) keys a
  -- connection, and email, the account's, repeats when two users connect one shared account): the
  -- column describes each row, nothing looks rows up by it
  cross join lateral (
    select (select x2.indexrelid from pg_catalog.pg_index x2
            where x2.indrelid = t.oid and x2.indisunique and x2.indisvalid and x2.indnkeyatts >= 2
              and x2.indpred is null and x2.indexprs is null
              and not exists (select from unnest((x2.indkey::int2[])[0:x2.indnkeyatts - 1]) k2(attnum)
                              where not exists (select from pg_catalog.pg_constraint f
                                                where f.conrelid = t.oid and f.contype = 'f'
                                                  and k2.attnum = any (f.conkey)))
            order by x2.indisprimary desc, x2.indexrelid limit 1) as link_index,
           (select x2.indexrelid from pg_catalog.pg_index x2
            where not ix.lead_indexed and x2.indrelid = t.oid and x2.indisunique and x2.indisvalid
              and not x2.indisprimary and x2.indnkeyatts >= 2 and x2.indpred is null and x2.indexprs is null
              and not (a.attnum = any ((x2.indkey::int2[])[0:x2.indnkeyatts - 1]))
              -- not the primary key with a tenant beside it ((organization_id, id): what a tenant's
              -- composite foreign keys reference), which names no row anew
              and not exists (select from pg_catalog.pg_constraint pk
                              where pk.conrelid = t.oid and pk.contype = 'p'
                                and pk.conkey operator(pg_catalog.<@) (x2.indkey::int2[])[0:x2.indnkeyatts - 1])
            order by x2.indexrelid limit 1) as natural_index) uk
  -- their columns, named
  cross join lateral (
    select string_agg(pg_catalog.quote_ident(b.attname), ', ' order by k.ord) filter (where x.indexrelid = uk.link_index)
             as link_columns,
           string_agg(pg_catalog.quote_ident(b.attname), ', ' order by k.ord) filter (where x.indexrelid = uk.natural_index)
             as natural_columns
    from pg_catalog.pg_index x
    cross join lateral unnest((x.indkey::int2[])[0:x.indnkeyatts - 1]) with ordinality k(attnum, ord)
    join pg_catalog.pg_attribute b on b.attrelid = t.oid and b.attnum = k.attnum
    where x.indexrelid in (uk.link_index, uk.natural_index)) kc
  -- a polymorphic reference: <name>_type (<name>Type) beside it names what each row points at
  -- (Windmill's input.runnable_id, runnable_type; Rails' belongs_to polymorphic), many rows to one
  cross join lateral (select (select s2.attname from pg_catalog.pg_attribute s2
                              where s2.attrelid = t.oid and not s2.attisdropped and s2.attnum > 0
                                and (a.attname like '%\_id' and s2.attname = left(a.attname, -3) || '_type'
                                     or a.attname like '%Id' and s2.attname = left(a.attname, -2) || 'Type')
                              limit 1) as type_column) pm
  -- a link (Harbor's vulnerability_record.urls, 26 bytes on average, under long_bytes; Hydra's
  -- client_uri): the same URL is referenced from many rows once there are enough of them
  cross join (select a.attname ~* '(^|_)(url|urls|uri|uris|link|links|href)$'
                     or coalesce((s.histogram_bounds::text::text[])[1], (s.most_common_vals::text::text[])[1]) ~* '^https?://'
                     as link_like,
                     -- a display name (OpenFGA's store.name: a list filter, stores re-created under a
                     -- deleted one's name): a label, not a key
                     -- a person's name (Mattermost's users.firstname, lastname, nickname): distinct in young
                     -- data, repeated in any real one
                     -- and any <x>_name, <x>_title, <x>_label (Langfuse's job_configurations.score_name,
                     -- one score name for many evaluators) but a login's
                     (a.attname ~* '^(name|title|label|surname|(first|last|nick|full|given|family|middle|display)_?name)$'
                      or a.attname ~ '(_(name|title|label)|[a-z0-9](Name|Title|Label))$')
                     and a.attname !~* '^(user|login|screen|account|domain|host)_?name$'
                     as label_like,
                     -- a tenant column (AppFlowy's af_workspace_invitation.workspace_id: the UNIQUE refused a
                     -- workspace's second invitation)
                     a.attname::text = any ($3::text[]) as tenant_like) lnk
  cross join lateral (select coalesce(
                -- a foreign key the column is in (alone, or beside a tenant: Hydra's (client_id, nid))
                (select format('%I.%I', pn.nspname, pc.relname)
                 from pg_catalog.pg_constraint f
                 join pg_catalog.pg_class pc on pc.oid = f.confrelid
                 join pg_catalog.pg_namespace pn on pn.oid = pc.relnamespace
                 where f.conrelid = t.oid and f.contype = 'f' and a.attnum = any (f.conkey)
                 order by f.conname limit 1),
                -- or one its name points to, read as missing_fk reads names (lib/reference_names.sql):
                -- a reference without a declared key (Umami's session_data.session_id, a key/value
                -- table with several rows a session: Prisma's relationMode = "prisma")
                (select format('%I.%I', n.nspname, pc.relname)
                 from pg_catalog.pg_class pc
                 cross join lateral (select pc.relname, true as loose_wanted) named
                 -- include: reference_names
                 where ix.id_named and pc.relnamespace = n.oid and pc.oid <> t.oid
                   and pc.relkind in ('r', 'p') and reference_names.column_name = a.attname
                 order by pc.relname limit 1)) as parent) fk
) lk
-- a plain B-tree index on the column alone (no predicate, expression, INCLUDE, or other operator
-- class, collation or order, as its definition shows), which the unique one makes a duplicate
-- (Danbooru's media_assets.pixel_hash), or a left prefix of a tenant's key: the fix drops it, the
-- undo builds it again
left join lateral (
  select i.relname as name, d.definition,
         pg_catalog.regexp_replace(d.definition, '^CREATE INDEX ', 'create index concurrently if not exists ') || ';' as rebuild
  from pg_catalog.pg_index x
  join pg_catalog.pg_class i on i.oid = x.indexrelid
  cross join lateral (select pg_catalog.pg_get_indexdef(x.indexrelid) as definition) d
  where x.indrelid = t.oid and not x.indisunique and x.indisvalid and x.indnatts = 1 and x.indkey[0] = a.attnum
    and x.indpred is null and x.indexprs is null
    and d.definition = format('CREATE INDEX %s ON %s USING btree (%s)', quote_ident(i.relname),
                              format('%I.%I', n.nspname, t.relname), quote_ident(a.attname))
  order by i.relname
  limit 1
) pi on true
where not s.inherited
  -- the old column an expand-contract move left for its grace period (deprecated_object's: a copy
  -- of the values the new column holds, no key; Vaultwarden's sends.deprecated_user_uuid)
  and a.attname not like 'deprecated\_%'
  -- no valid unique index involves the column, looked up per column: as a key column
  -- (constraint-backed indexes record no column dependencies of their own), or in an expression
  -- or predicate, through the index's dependency on the column (a join to the set of every unique
  -- index's columns became a nested loop that read the whole set again for each column: 4 s for
  -- 2,000 columns on the 1,000-schema benchmark with min_rows 0)
  and not exists (select from pg_catalog.pg_index x
                  where x.indrelid = t.oid and x.indisunique and x.indisvalid
                    and a.attnum = any ((x.indkey::int2[])[0:x.indnkeyatts - 1]))
  and not exists (select from pg_catalog.pg_depend d
                  join pg_catalog.pg_index x on x.indexrelid = d.objid
                  where d.refclassid = 'pg_catalog.pg_class'::regclass and d.refobjid = t.oid
                    and d.refobjsubid = a.attnum and d.classid = 'pg_catalog.pg_class'::regclass
                    and x.indrelid = t.oid and x.indisunique and x.indisvalid
                    and (x.indexprs is not null or x.indpred is not null))
  and s.most_common_vals is null
  and ((s.n_distinct = -1
        -- the text form of the bounds quotes any value holding whitespace: names, titles, prose
        and s.histogram_bounds::text !~ '\s'
        and (a.atttypid in ('text'::regtype, 'varchar'::regtype, 'bpchar'::regtype, 'uuid'::regtype)
             or format_type(a.atttypid, null) = 'citext'))
       or (a.attname ~ '(^|_)(email|username|user_name|slug|code|number)$' and s.n_distinct = -1
           and (a.atttypid in ('text'::regtype, 'varchar'::regtype, 'bpchar'::regtype, 'uuid'::regtype,
                               'int2'::regtype, 'int4'::regtype, 'int8'::regtype)
                or format_type(a.atttypid, null) = 'citext')))
  and a.attname !~* '(pass|pwd|crypt|salt|secret|digest)'
  -- key material (Lemmy's person.public_key): distinct by construction, looked up by nothing
  and a.attname !~* '(^|_)((public|private)_?key|pubkey|privkey|cert|certificate|pem)$'
  and a.attname !~* '(^|_)(sha|sha1|sha256|md5|checksum|hash|fingerprint|etag)(_|$)'
  and a.attnum > 0
  and not a.attisdropped
  and t.relkind = 'r'
  and not t.relispartition
  -- (a partitioned table is left out too: its unique index must hold the partition key's columns,
  -- which a key on the column alone does not)
  and t.reltuples >= $1::bigint
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp_)'
  and not exists (select 1 from pg_catalog.pg_depend d
                  where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
order by n.nspname, t.relname, a.attnum
