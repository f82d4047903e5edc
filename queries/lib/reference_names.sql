  -- (lib/reference_names.sql) One lateral for the checks that read a column's name as a reference
  -- to a table (missing_fk, unique_candidate): reference_names.column_name, one row for each
  -- name a column referencing the table named `named.relname` (a lateral of the including query)
  -- has: <table>_id, <singular>_id (singular: a trailing "ies" made "y", else a trailing "es" or
  -- "s" cut), and the camelCase of ORMs (Prisma, TypeORM, Sequelize), <table>Id or <singular>Id
  -- with the first letter lower-cased ("User" or "users": "userId"). The suffixes are cut with
  -- like and left() rather than a regular expression per table; the names differ in length or
  -- last letters, so they need no distinct.
  cross join lateral (
    select r.column_name
    from unnest(array[named.relname::text || '_id',
                      case when named.relname like '%ies' then left(named.relname, -3) || 'y_id' end,
                      case when named.relname like '%es' then left(named.relname, -2) || '_id' end,
                      case when named.relname like '%s' then left(named.relname, -1) || '_id' end,
                      lower(left(named.relname, 1)) || substr(named.relname, 2) || 'Id',
                      case when named.relname like '%s'
                           then lower(left(named.relname, 1)) || substr(left(named.relname, -1), 2) || 'Id' end]) r(column_name)
    where r.column_name is not null
  ) reference_names
