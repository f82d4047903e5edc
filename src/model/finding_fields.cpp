#include "model/finding_fields.hpp"

namespace model {

namespace {

template<typename... Ts>
struct Overloaded : Ts...
{
  using Ts::operator()...;
};
template<typename... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

} // namespace

std::string
stored_value(const Finding& finding, const FindingField& field)
{
  return std::visit(Overloaded{
                      [&](std::string Finding::*m) { return finding.*m; },
                      [&](util::Interned Finding::*m) { return (finding.*m).str(); },
                      [&](Severity Finding::*m) { return std::string(to_string(finding.*m)); },
                      [&](Effort Finding::*m) { return std::string(to_string(finding.*m)); },
                      [&](nlohmann::json Finding::*m) {
                        return (finding.*m).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
                      },
                    },
                    field.member);
}

void
set_stored_value(Finding& finding, const FindingField& field, std::string_view stored)
{
  std::visit(Overloaded{
               [&](std::string Finding::*m) { finding.*m = std::string(stored); },
               [&](util::Interned Finding::*m) { finding.*m = stored; },
               [&](Severity Finding::*m) { finding.*m = parse_severity(stored).value_or(Severity::medium); },
               [&](Effort Finding::*m) { finding.*m = parse_effort(stored).value_or(Effort::low); },
               [&](nlohmann::json Finding::*m) {
                 auto value = nlohmann::json::parse(stored, nullptr, false);
                 finding.*m = value.is_discarded() ? nlohmann::json::object() : std::move(value);
               },
             },
             field.member);
}

nlohmann::json
json_value(const Finding& finding, const FindingField& field)
{
  return std::visit(Overloaded{
                      [&](std::string Finding::*m) { return nlohmann::json(finding.*m); },
                      [&](util::Interned Finding::*m) { return nlohmann::json((finding.*m).str()); },
                      [&](Severity Finding::*m) { return nlohmann::json(to_string(finding.*m)); },
                      [&](Effort Finding::*m) { return nlohmann::json(to_string(finding.*m)); },
                      [&](nlohmann::json Finding::*m) { return finding.*m; },
                    },
                    field.member);
}

} // namespace model
