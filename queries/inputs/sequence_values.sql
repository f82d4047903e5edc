-- id: sequence_values
-- kind: input
-- pages: 1000
-- title: The last value of every sequence
-- rationale: int_overflow, sequence_overflow, unused_sequence, metrics_sequences,
--   deprecated_object (the undo of a sequence's drop), fk_type_mismatch (how far a parent's keys
--   are) and missing_fk (the top of a parent's keys) all need each sequence's last value, and
--   reading it is the costly part of each (a statement per sequence, and the first open of every
--   sequence in the server process): it is read once per audit and handed to the seven.
--
-- One row per sequence outside the system schemas that the auditing role may select from:
-- seqrelid (its oid) and last_value (null when the sequence was never used). The value comes
-- from a plain select from the sequence through query_to_xml, which takes only ACCESS SHARE:
-- pg_sequence_last_value() (and pg_sequences over it) takes ROW EXCLUSIVE until the audit's
-- transaction ends. The selects go 25 to a statement (union all): one statement per sequence
-- took a third longer on 8,000 sequences; a few hundred to a statement take longer again (and
-- thousands exceed the parser's stack). Other sessions' temporary sequences cannot be read and
-- are left out.
--
-- Each select locks its sequence (ACCESS SHARE) until the transaction ends: 24,000 sequences
-- held 22,750 locks at once and filled the server's lock table (max_locks_per_transaction x
-- max_connections: out of shared memory on default settings, for the application's sessions
-- too). So this input is read in pages of 1,000 sequences ($1: the last seqrelid of the previous
-- page, $2: 1,000), each page in a read-only transaction of its own on a connection of its own
-- (audit/shared_inputs.cpp). A sequence's value is not versioned: no snapshot governs it, and
-- reading it outside the audit's snapshot sees what reading it inside would.
with readable as (
  select s.seqrelid, n.nspname, c.relname,
         (row_number() over (order by s.seqrelid) - 1) / 25 as batch
  from pg_catalog.pg_sequence s
  join pg_catalog.pg_class c on c.oid = s.seqrelid
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  where n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and s.seqrelid > $1::oid
    -- the same bound on pg_class (c.oid = s.seqrelid): without it a merge join read pg_class's
    -- oid index from its start on every page, 230,000 rows for a page halfway through 80,000
    -- sequences in 10,000 schemas (80 ms of the page's 150)
    and c.oid > $1::oid
    -- the case keeps the privilege test off rows that are not sequences, whatever the plan
    and case when c.relkind = 'S' then pg_catalog.has_sequence_privilege(s.seqrelid, 'select') end
  order by s.seqrelid
  limit $2::integer
),
statements as (
  select string_agg(format('select %s::oid as seqrelid, case when is_called then last_value end as last_value from %I.%I',
                           r.seqrelid, r.nspname, r.relname), ' union all ') as statement
  from readable r
  group by r.batch
)
select v.seqrelid, v.last_value
from statements q
cross join lateral xmltable('/table/row' passing pg_catalog.query_to_xml(q.statement, false, false, '')
                            columns seqrelid oid, last_value bigint) v
order by v.seqrelid
