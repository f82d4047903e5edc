-- Schema version 2 of the history in PostgreSQL: the same tables as history/0002_report_rollups.sql
-- for SQLite (what trend reports read instead of every finding of every snapshot), back-filled
-- from the findings already stored.

create table finding_totals (
  snapshot_id bigint not null references snapshots(id) on delete cascade,
  category text not null,
  severity text not null,
  object_type text not null,
  findings integer not null,
  size_bytes double precision,    -- sum of evidence.size_bytes
  bloat_bytes double precision,   -- sum of evidence.bloat_bytes
  primary key (snapshot_id, category, severity, object_type)
);

-- Evidence is text holding JSON written by schema-audit; numbers only are summed.
insert into finding_totals
select snapshot_id, category, severity, object_type, count(*),
       sum(case when jsonb_typeof(e -> 'size_bytes') = 'number' then (e ->> 'size_bytes')::float8 end),
       sum(case when jsonb_typeof(e -> 'bloat_bytes') = 'number' then (e ->> 'bloat_bytes')::float8 end)
from (select snapshot_id, category, severity, object_type, evidence::jsonb as e from findings) f
group by snapshot_id, category, severity, object_type;

create table fingerprint_ages (
  target_id bigint not null references targets(id),
  fingerprint text not null,
  first_seen bigint not null,     -- epoch seconds of the oldest snapshot holding it
  snapshots integer not null,
  primary key (target_id, fingerprint)
);

insert into fingerprint_ages
select s.target_id, f.fingerprint, min(s.taken_at), count(*)
from findings f join snapshots s on s.id = f.snapshot_id
group by s.target_id, f.fingerprint;

-- First sightings used to group every finding of the history by fingerprint through this
-- index; fingerprint_ages answers that now, and lookups by fingerprint go through the primary
-- key (snapshot_id, fingerprint). Dropping it saves ~1 in 20 bytes of every stored finding.
drop index if exists findings_fingerprint;
