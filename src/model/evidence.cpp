#include "model/evidence.hpp"

namespace model {

std::optional<double>
evidence_number(const nlohmann::json& evidence, std::string_view key)
{
  if (!evidence.is_object()) {
    return std::nullopt;
  }
  const auto it = evidence.find(key);
  return it != evidence.end() && it->is_number() ? std::optional(it->get<double>()) : std::nullopt;
}

} // namespace model
