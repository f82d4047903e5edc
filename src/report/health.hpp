#pragma once

#include "model/check.hpp"
#include "model/snapshot.hpp"
#include "report/fields.hpp"
#include "report/finding_view.hpp"

#include <optional>
#include <string>
#include <vector>

namespace report {

// One line of a database's summary: how an area of its schema ("-- area:" of the checks:
// indexes, bloat, limits, ...) stands in the latest snapshot.
struct AreaHealth
{
  std::string area;
  std::string title; // "Indexes"
  // clean: every check of the area ran and found nothing; findings; not_checked: none of its
  // checks ran (each was skipped or failed).
  std::string state;
  std::size_t count = 0;
  std::optional<model::Severity> worst; // of its findings; none without
  std::string text;                     // "2 high, 5 medium", "no findings", "not checked: <why>"

  template<typename Fields>
  void fields(Fields& f) const
  {
    REPORT_FIELDS(area, title, state, count);
    f("worst", worst ? model::to_string(*worst) : std::string_view());
    f("text", text);
    f("is_clean", state == "clean");
  }
};

// The health lines of `latest`, worst first, then the clean ones and those not checked, by the
// areas of `checks` (the findings' checks, and the checks that ran without a finding). A finding
// of a check this build does not know counts under "other".
std::vector<AreaHealth> area_health(const model::Snapshot& latest, const std::vector<model::CheckDef>& checks);

} // namespace report
