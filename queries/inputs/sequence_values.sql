-- id: sequence_values
-- kind: input
-- title: The last value of every sequence
-- rationale: int_overflow, sequence_overflow and metrics_sequences all need each sequence's
--   last value, and reading it costs a statement per sequence: it is read once per audit and
--   handed to the three.
--
-- One row per sequence outside the system schemas: seqrelid (its oid) and last_value (null when
-- the sequence was never used or the auditing role may not select from it). The value comes
-- from a plain select from the sequence through query_to_xml, which takes only ACCESS SHARE:
-- pg_sequence_last_value() (and pg_sequences over it) takes ROW EXCLUSIVE until the audit's
-- transaction ends. Other sessions' temporary sequences cannot be read and are left out.
select s.seqrelid,
       case when pg_catalog.has_sequence_privilege(s.seqrelid, 'select')
            then ((xpath('/row/v/text()',
                         pg_catalog.query_to_xml(format('select case when is_called then last_value end as v from %I.%I', n.nspname, c.relname),
                                                 false, true, '')))[1])::text::bigint end as last_value
from pg_catalog.pg_sequence s
join pg_catalog.pg_class c on c.oid = s.seqrelid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp_)'
order by s.seqrelid
