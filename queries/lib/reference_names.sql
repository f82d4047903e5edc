  -- (lib/reference_names.sql) One lateral for the checks that read a column's name as a reference
  -- to a table (missing_fk, unique_candidate): reference_names.column_name, one row for each
  -- name a column referencing the table named `named.relname` (a lateral of the including query,
  -- which also gives `named.loose_wanted`, below)
  -- has: <table>_id, <singular>_id (singular: a trailing "ies" made "y", else a trailing "es" or
  -- "s" cut), and the camelCase of ORMs (Prisma, TypeORM, Sequelize), <table>Id or <singular>Id
  -- with the first letter lower-cased ("User" or "users": "userId"), and the same run together in
  -- lower case, as an ORM's unquoted UserId folds (Mattermost's posts.userid, channels.teamid):
  -- <table>id or <singular>id, reference_names.loose true, from a name of three letters or more
  -- (its match, loose as it is, the checks take only with the key's type exactly), made only when
  -- `named.loose_wanted` (four more names for every key of a database where no column has one cost
  -- missing_fk a fifth of its time on the 1,000-schema benchmark). The suffixes are
  -- cut with like and left() rather than a regular expression per table; the names differ in
  -- length or last letters, so they need no distinct.
  cross join lateral (
    select r.column_name, r.loose
    from unnest(array[named.relname::text || '_id',
                      case when named.relname like '%ies' then left(named.relname, -3) || 'y_id' end,
                      case when named.relname like '%es' then left(named.relname, -2) || '_id' end,
                      case when named.relname like '%s' then left(named.relname, -1) || '_id' end,
                      lower(left(named.relname, 1)) || substr(named.relname, 2) || 'Id',
                      case when named.relname like '%s'
                           then lower(left(named.relname, 1)) || substr(left(named.relname, -1), 2) || 'Id' end,
                      case when named.loose_wanted and length(named.relname) >= 3 then lower(named.relname) || 'id' end,
                      case when named.loose_wanted and named.relname like '%ies' and length(named.relname) >= 5
                           then lower(left(named.relname, -3)) || 'yid' end,
                      case when named.loose_wanted and named.relname like '%es' and length(named.relname) >= 5
                           then lower(left(named.relname, -2)) || 'id' end,
                      case when named.loose_wanted and named.relname like '%s' and length(named.relname) >= 4
                           then lower(left(named.relname, -1)) || 'id' end],
                array[false, false, false, false, false, false, true, true, true, true]) r(column_name, loose)
    where r.column_name is not null
  ) reference_names
