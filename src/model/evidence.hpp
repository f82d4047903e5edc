#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string_view>

namespace model {

// The number at `key` of a finding's evidence (a JSON object), or nullopt when the evidence is
// not an object, lacks the key, or holds something else there.
std::optional<double> evidence_number(const nlohmann::json& evidence, std::string_view key);

} // namespace model
