-- Schema version 2: what trend reports read instead of every finding of every snapshot, written
-- with each snapshot (store::History::save) and back-filled here from the findings already stored.

-- Per snapshot, findings counted by category, severity and object type, with the sums of the
-- evidence numbers the trend charts draw (NULL when no finding of the group has the key).
create table finding_totals (
  snapshot_id integer not null references snapshots(id) on delete cascade,
  category text not null,
  severity text not null,
  object_type text not null,
  findings integer not null,
  size_bytes real,                -- sum of evidence.size_bytes
  bloat_bytes real,               -- sum of evidence.bloat_bytes
  primary key (snapshot_id, category, severity, object_type)
) without rowid;

insert into finding_totals
select snapshot_id, category, severity, object_type, count(*),
       sum(case when json_type(evidence, '$.size_bytes') in ('integer', 'real')
                then json_extract(evidence, '$.size_bytes') end),
       sum(case when json_type(evidence, '$.bloat_bytes') in ('integer', 'real')
                then json_extract(evidence, '$.bloat_bytes') end)
from findings
where json_valid(evidence)
group by snapshot_id, category, severity, object_type;

-- Per target and fingerprint: when the problem was first seen and in how many snapshots.
create table fingerprint_ages (
  target_id integer not null references targets(id),
  fingerprint text not null,
  first_seen integer not null,    -- epoch seconds of the oldest snapshot holding it
  snapshots integer not null,
  primary key (target_id, fingerprint)
) without rowid;

insert into fingerprint_ages
select s.target_id, f.fingerprint, min(s.taken_at), count(*)
from findings f join snapshots s on s.id = f.snapshot_id
group by s.target_id, f.fingerprint;

-- First sightings used to group every finding of the history by fingerprint through this
-- index; fingerprint_ages answers that now, and lookups by fingerprint go through the primary
-- key (snapshot_id, fingerprint). Dropping it saves ~1 in 20 bytes of every stored finding.
drop index if exists findings_fingerprint;
