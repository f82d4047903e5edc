#include "audit/read_catalog.hpp"

#include "util/error.hpp"
#include "util/log.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace audit {

namespace {

constexpr const char* k_catalog_input = "catalog";

const std::string&
text_of(const pg::Row& row, std::size_t column)
{
  static const std::string none;
  return column < row.size() && row[column] ? *row[column] : none;
}

} // namespace

std::optional<model::Catalog>
read_catalog(const Registry& registry, int server_major, pg::Session& session, std::vector<model::CheckTiming>& timings)
{
  const auto* input = registry.find_input(k_catalog_input);
  if (!input) {
    util::log(util::LogLevel::info, "no catalog recorded: no input {}", k_catalog_input);
    return std::nullopt;
  }
  try {
    const auto result = session.run("input catalog", input->sql_for(server_major));
    const auto column = [&](const char* name) {
      const auto index = result.column(name);
      if (!index) {
        throw util::Error(fmt::format("the input catalog returns no column {}", name));
      }
      return *index;
    };
    const auto kind = column("kind");
    const auto oid = column("oid");
    const auto sub = column("sub");
    const auto label = column("label");
    const auto name = column("name");
    const auto attrs = column("attrs");
    model::Catalog catalog;
    catalog.reserve(result.rows.size());
    for (const auto& row : result.rows) {
      auto& o = catalog.emplace_back();
      o.kind = text_of(row, kind);
      o.oid = std::stoll(text_of(row, oid));
      o.sub = std::stoll(text_of(row, sub));
      o.label = text_of(row, label);
      o.name = text_of(row, name);
      for (const auto& [key, value] : nlohmann::json::parse(text_of(row, attrs)).items()) {
        o.attrs.emplace(key, value.is_string() ? value.get<std::string>() : value.dump());
      }
    }
    const double ms = static_cast<double>(result.elapsed.count()) / 1000.0;
    timings.push_back(model::CheckTiming{k_catalog_input, ms, result.rows.size()});
    util::log(util::LogLevel::info, "input catalog: {} objects in {:.0f} ms", catalog.size(), ms);
    return catalog;
  } catch (const pg::QueryFailed& e) {
    util::log(util::LogLevel::info, "no catalog recorded: {}", e.what());
  } catch (const util::Error& e) {
    util::log(util::LogLevel::info, "no catalog recorded: {}", e.what());
  } catch (const nlohmann::json::exception& e) {
    util::log(util::LogLevel::info, "no catalog recorded: unexpected value in the input catalog ({})", e.what());
  } catch (const std::logic_error& e) { // std::invalid_argument, std::out_of_range from a number
    util::log(util::LogLevel::info, "no catalog recorded: unexpected value in the input catalog ({})", e.what());
  }
  return std::nullopt;
}

} // namespace audit
