-- Schema version 5 of the history in PostgreSQL: the same column as history/0005_finding_undo.sql
-- for SQLite (a finding's undo kept beside its remediation in finding_texts; '' for the texts
-- stored before). A constant default adds the column without rewriting the table.
alter table finding_texts add column undo text not null default '';
