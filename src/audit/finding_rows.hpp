#pragma once

#include "audit/check_context.hpp"

#include <functional>
#include <vector>

namespace audit {

// The fixed aliases: object, object_type, message (required); schema_name, table_name,
// severity, evidence (JSON), remediation, identity (optional). Throws util::Error naming the
// missing alias.
model::Finding finding_from_row(const pg::QueryResult& result, const pg::Row& row, const CheckContext& ctx);
void map_rows_generic(const pg::QueryResult& result, const CheckContext& ctx, std::vector<model::Finding>& out);

// Whether the row's schema_name/table_name (when the query returns them) pass the config's
// include/exclude patterns.
bool row_included(const pg::QueryResult& result, const pg::Row& row, const Config& config);

// Metric rows: object_type, object, metric, value.
void map_metric_rows(const pg::QueryResult& result, model::MetricList& out);

} // namespace audit
