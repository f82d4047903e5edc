-- Schema version 3: a finding's message and remediation (~600 of its ~800 bytes) are stored once
-- per distinct text in finding_texts, and each finding points at its text. Audits of the same
-- database repeat most findings word for word, so a finding seen again costs a small row.
--
-- store::History::save reuses the text of the same fingerprint when message and remediation are
-- equal, else adds one (a changed message gets its own row; the old one stays for the older
-- snapshots). Texts are shared across targets: the fingerprint does not name the database.
-- Nothing in schema-audit deletes snapshots. Whoever deletes some by hand can drop the texts no
-- finding uses any more with
--   delete from finding_texts where id not in (select text_id from findings);

create table finding_texts (
  id integer primary key,
  fingerprint text not null,
  message text not null,
  remediation text not null
);
create index finding_texts_fingerprint on finding_texts(fingerprint);

insert into finding_texts(fingerprint, message, remediation)
select distinct fingerprint, message, remediation from findings order by fingerprint;

-- The findings of schema 2 without message and remediation, plus text_id. SQLite cannot drop
-- columns of a WITHOUT ROWID table in place: copy into the new table, then drop the old one.
-- Its pages go to the free list; store::History compacts the file after migrating when most of
-- it is free.
alter table findings rename to findings_v2;

create table findings (
  snapshot_id integer not null references snapshots(id) on delete cascade,
  fingerprint text not null,
  check_id text not null,
  category text not null,
  severity text not null,
  effort text not null,
  schema_name text not null,
  object text not null,
  object_type text not null,
  text_id integer not null references finding_texts(id),
  evidence text not null,         -- JSON
  primary key (snapshot_id, fingerprint)
) without rowid;

insert into findings
select f.snapshot_id, f.fingerprint, f.check_id, f.category, f.severity, f.effort, f.schema_name,
       f.object, f.object_type, t.id, f.evidence
from findings_v2 f
join finding_texts t on t.fingerprint = f.fingerprint and t.message = f.message
                    and t.remediation = f.remediation;

drop table findings_v2;
