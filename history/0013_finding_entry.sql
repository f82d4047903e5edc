-- Schema version 13: the cause a check names for several of its findings (the alias `entry` of
-- its query: no_primary_key's "empty or tiny", fk_type_mismatch's pair of types), which one
-- decision settles, is kept with each finding's state, so that an entry read back from the
-- history says it in its heading as the audit did. States stored before have none: ''.
alter table finding_states add column entry text not null default '';

drop view findings;
create view findings as
select sf.snapshot_id, s.fingerprint, s.check_id, s.category, s.severity, s.effort, s.schema_name, s.object,
       s.object_type, s.text_id, s.evidence, s.confidence, s.group_id, s.entry
from snapshot_findings sf
join finding_states s on s.id = sf.state_id;
