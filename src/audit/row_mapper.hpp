#pragma once

#include "model/check.hpp"
#include "audit/config.hpp"
#include "model/finding.hpp"
#include "audit/runner.hpp"
#include "pg/session.hpp"

#include <functional>
#include <vector>

namespace audit {

// Everything a check's row mapping may look at.
struct CheckContext
{
  const model::CheckDef& def;
  const model::Capabilities& capabilities;
  const Config& config;
  const AuditOptions& options;
  const std::optional<model::PreviousSnapshot>& previous;
};

// Turns one check's result into findings. The generic mapper serves checks whose SQL returns
// the fixed aliases; audit/checks/<id>.cpp adds logic that SQL cannot express.
using RowMapper = std::function<void(const pg::QueryResult&, const CheckContext&, std::vector<model::Finding>&)>;

// The fixed aliases: object, object_type, message (required); schema_name, table_name,
// severity, evidence (JSON), remediation, identity (optional). Throws util::Error naming the
// missing alias.
model::Finding finding_from_row(const pg::QueryResult& result, const pg::Row& row, const CheckContext& ctx);
void map_rows_generic(const pg::QueryResult& result, const CheckContext& ctx, std::vector<model::Finding>& out);

// Metric rows: object_type, object, metric, value.
void map_metric_rows(const pg::QueryResult& result, std::vector<model::Metric>& out);

// The mapper for check `id`: its entry in the check-logic table, else the generic one.
const RowMapper& row_mapper_for(std::string_view id);

} // namespace audit
