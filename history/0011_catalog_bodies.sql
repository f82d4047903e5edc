-- Schema version 11: a catalog object's label, name and attributes stored once for every schema
-- they repeat in, as schema 10 does for a finding's words. The catalog of 1,000 tenant schemas
-- made from one migration was 87,000 catalog_objects rows of their own texts (12 MB of a 25 MB
-- first snapshot) for about a hundred distinct objects. A row stored from now on keeps its key
-- (target, kind, oid, sub), the schema part of its label (schema_part, as the label writes it)
-- and body_id: a catalog_bodies row with the texts, schema_part marked in them
-- (store/schema_marked.hpp), found by body_key, a hash of them. Its own label, name and attrs
-- are left empty. The rows stored before have no body and keep their texts.
create table catalog_bodies (
  id {id},
  body_key text not null,
  label text not null,
  name text not null,
  attrs text not null             -- JSON object of text values
);
create index catalog_bodies_body_key on catalog_bodies(body_key);
alter table catalog_objects add column schema_part text not null default '';
alter table catalog_objects add column body_id {bigint} references catalog_bodies(id);
