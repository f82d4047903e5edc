-- Schema version 5: a finding's undo (how to roll each step of its remediation back) is kept
-- beside its remediation in finding_texts, and a text is reused only when its undo is the same
-- too (store::History::save). Texts stored before have no undo: ''.
alter table finding_texts add column undo text not null default '';
