  -- (lib/prefix_cover.sql) the order that picks, among the indexes b that index a is a left prefix
  -- of (lib/left_prefix.sql), the one redundant_index names as a's cover: the widest, a scanned
  -- one first, then by name. With prefixes in a chain ((a), (a, b), (a, b, c)) each names the
  -- widest, which none of the entry's fixes drops (Umami's website_id indexes: the middle one
  -- named as the cover was dropped by the fix before, and the next fix refused). Ends a
  -- "select distinct on (a.indexrelid)" whose rows b has indnkeyatts, indexrelid and index_name.
  order by a.indexrelid, b.indnkeyatts desc, pg_catalog.pg_stat_get_numscans(b.indexrelid) > 0 desc, b.index_name
