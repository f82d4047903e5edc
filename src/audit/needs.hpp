#pragma once

#include "audit/audit_options.hpp"
#include "model/check.hpp"
#include "model/target.hpp"

#include <optional>
#include <string>

namespace audit {

// Why `def` cannot run against a server with `caps` under `options`, or nullopt if it can.
std::optional<std::string> unmet_need(const model::CheckDef& def,
                                      const model::Capabilities& caps,
                                      const AuditOptions& options,
                                      bool has_previous);

} // namespace audit
