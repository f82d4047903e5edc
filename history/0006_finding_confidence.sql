-- Schema version 6: how far a usage verdict can be trusted (model::Finding::confidence), kept in
-- each snapshot's findings row. Findings stored before have none: ''.
alter table findings add column confidence text not null default '';
