#pragma once

#include "model/check.hpp"
#include "audit/config.hpp"

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace audit {

// The checks of one run: the embedded queries/ files, plus or overridden by the .sql files of
// --queries DIR (same id = override); and the inputs they declare (queries/inputs/, overridden
// by DIR/inputs/ the same way).
class Registry
{
public:
  // Throws util::Fatal(config) for a missing directory or a malformed file.
  static Registry load(const std::optional<std::filesystem::path>& extra_dir = std::nullopt);

  const std::vector<model::CheckDef>& checks() const { return m_checks; }
  const model::CheckDef* find(std::string_view id) const;
  // The inputs (kind input) that checks declare with "-- input:".
  const std::vector<model::CheckDef>& inputs() const { return m_inputs; }
  const model::CheckDef* find_input(std::string_view id) const;

  // Throws util::Fatal(config) when a [checks.<id>] table of `config` names no check, or sets a
  // param that check does not take: a typo must not silently leave a check as it was.
  void check_config(const Config& config) const;

  // The modes `--opt-in` accepts: those the checks' `needs` name (opt_in:<mode>), and the ones
  // C++ check logic asks for.
  std::set<std::string> opt_in_modes() const;

private:
  void add(model::CheckDef def, int variant_major);
  void add_input(model::CheckDef def, int variant_major);
  void check_inputs() const;

  std::vector<model::CheckDef> m_checks;
  std::vector<model::CheckDef> m_inputs;
};

} // namespace audit
