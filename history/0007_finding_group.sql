-- Schema version 7: the entry a finding is shown in (model::Finding::group_id), kept in each
-- snapshot's findings row. Findings stored before have none: '' (each is an entry of its own).
alter table findings add column group_id text not null default '';
