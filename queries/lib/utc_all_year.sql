  -- (lib/utc_all_year.sql) Whether the zone `z.zone` (a subquery `z` of the including query, this
  -- lateral after it) reads as UTC all year: an offset of 0 in January and in July, so not
  -- Europe/London. zu.utc; null for a null zone. type_timestamp_no_tz asks it of the database's
  -- zone and of the zone a column's default writes wall-clock times of.
  cross join lateral (
    select (timestamp '2024-01-15 12:00' at time zone z.zone) = timestamptz '2024-01-15 12:00+00'
           and (timestamp '2024-07-15 12:00' at time zone z.zone) = timestamptz '2024-07-15 12:00+00' as utc) zu
