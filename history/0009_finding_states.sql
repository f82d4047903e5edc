-- Schema version 9: a finding repeated unchanged costs a few bytes per snapshot (issue #19).
-- Audits of the same database repeat most findings exactly (same evidence, severity, text), yet
-- each snapshot stored a findings row of ~330 bytes for every one of them. Now:
--   finding_states    every distinct finding once: the fields of a finding that schema 8 kept in
--                     findings (its texts stay shared in finding_texts);
--   snapshot_findings which states a snapshot holds: two integers a finding;
--   findings          a view joining the two, with the columns schema 8's table had, so queries
--                     written against it keep working.
-- store::HistoryEngine::save reuses the state of the same fingerprint when every field is equal,
-- else adds one (evidence that changed gets its own row; the old one stays for older snapshots).
-- Nothing in schema-audit deletes snapshots. Whoever deletes some by hand can drop the states no
-- snapshot holds any more with
--   delete from finding_states where id not in (select state_id from snapshot_findings);
-- and then the texts as history/0003 says.

create table finding_states (
  id {id},
  fingerprint text not null,
  check_id text not null,
  category text not null,
  severity text not null,
  effort text not null,
  schema_name text not null,
  object text not null,
  object_type text not null,
  text_id {bigint} not null references finding_texts(id),
  evidence text not null,         -- JSON
  confidence text not null default '',
  group_id text not null default ''
);
create index finding_states_fingerprint on finding_states(fingerprint);

insert into finding_states(fingerprint, check_id, category, severity, effort, schema_name, object, object_type,
                           text_id, evidence, confidence, group_id)
select distinct fingerprint, check_id, category, severity, effort, schema_name, object, object_type, text_id,
       evidence, confidence, group_id
from findings
order by fingerprint, text_id, evidence;

create table snapshot_findings (
  snapshot_id {bigint} not null references snapshots(id) on delete cascade,
  state_id {bigint} not null references finding_states(id),
  primary key (snapshot_id, state_id)
) {without rowid};
-- The snapshots of a finding, by its fingerprint (finding_states_fingerprint, then this).
create index snapshot_findings_state on snapshot_findings(state_id);

insert into snapshot_findings(snapshot_id, state_id)
select f.snapshot_id, s.id
from findings f
join finding_states s on s.fingerprint = f.fingerprint and s.check_id = f.check_id and s.category = f.category
                     and s.severity = f.severity and s.effort = f.effort and s.schema_name = f.schema_name
                     and s.object = f.object and s.object_type = f.object_type and s.text_id = f.text_id
                     and s.evidence = f.evidence and s.confidence = f.confidence and s.group_id = f.group_id;

drop table findings;

create view findings as
select sf.snapshot_id, s.fingerprint, s.check_id, s.category, s.severity, s.effort, s.schema_name, s.object,
       s.object_type, s.text_id, s.evidence, s.confidence, s.group_id
from snapshot_findings sf
join finding_states s on s.id = sf.state_id;
