#include "audit/shared_inputs.hpp"

#include "util/error.hpp"
#include "util/log.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace audit {

namespace {

// `result` as a JSON array of objects, one per row, keyed by column name: what a check unnests
// with jsonb_to_recordset, casting each string to the column type it declares there.
std::string
rows_as_json(const pg::QueryResult& result)
{
  auto rows = nlohmann::json::array();
  for (const auto& row : result.rows) {
    auto object = nlohmann::json::object();
    for (std::size_t i = 0; i < result.columns.size(); ++i) {
      object[result.columns[i]] = row[i] ? nlohmann::json(*row[i]) : nlohmann::json(nullptr);
    }
    rows.push_back(std::move(object));
  }
  // A database in SQL_ASCII can hold names that are not UTF-8; they are replaced rather than
  // failing every check that needs the input.
  return rows.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace

SharedInputs::SharedInputs(const Registry& registry, int server_major, OpenSession open_reader)
  : m_server_major(server_major)
  , m_open_reader(std::move(open_reader))
{
  for (const auto& def : registry.inputs()) {
    auto input = std::make_unique<Input>();
    input->def = &def;
    m_inputs.emplace(def.id, std::move(input));
  }
}

const std::string&
SharedInputs::json(const std::string& id, pg::Session& session)
{
  const auto it = m_inputs.find(id);
  if (it == m_inputs.end()) { // Registry::load refuses a check that declares an unknown input
    throw util::Error(fmt::format("no input \"{}\"", id));
  }
  auto& input = *it->second;
  std::lock_guard lock(input.mutex);
  if (!input.read) {
    const auto label = "input " + id;
    try {
      const auto result = input.def->page_rows > 0 ? read_in_pages(*input.def, session)
                                                    : session.run(label, input.def->sql_for(m_server_major));
      input.json = rows_as_json(result);
      const double ms = static_cast<double>(result.elapsed.count()) / 1000.0;
      util::log(util::LogLevel::info, "{}: {} rows in {:.0f} ms, read once for every check that declares it", label,
                result.rows.size(), ms);
      std::lock_guard timings_lock(m_timings_mutex);
      m_timings.push_back(model::CheckTiming{id, ms, result.rows.size()});
    } catch (const pg::QueryFailed& e) {
      input.failure = pg::QueryFailed(e.cause(), fmt::format("its input {} failed: {}", id, e.what()));
      util::log(util::LogLevel::info, "{}: did not run: {}", label, e.what());
    }
    input.read = true; // a lost connection (util::Fatal) leaves it unread: the audit stops anyway
  }
  if (input.failure) {
    throw *input.failure;
  }
  return input.json;
}

pg::QueryResult
SharedInputs::read_in_pages(const model::CheckDef& def, pg::Session& asking)
{
  std::unique_ptr<pg::Session> own;
  try {
    if (m_open_reader) {
      own = m_open_reader();
    }
  } catch (const util::Fatal& e) { // no connection to spare: the pages are read in the audit's transaction
    util::log(util::LogLevel::info, "input {}: read in the audit's transaction, as no session of its own could be "
                                    "opened: {}", def.id, e.what());
  }
  auto& reader = own ? *own : asking;
  const auto page = std::to_string(def.page_rows);
  pg::QueryResult all;
  std::string after = "0";
  for (std::size_t pages = 1;; ++pages) {
    auto result = reader.run("input " + def.id, def.sql_for(m_server_major), {after, page});
    all.columns = std::move(result.columns);
    all.elapsed += result.elapsed;
    const bool last = result.rows.size() < def.page_rows;
    if (!result.rows.empty()) {
      after = result.rows.back().at(0).value_or(after);
    }
    std::move(result.rows.begin(), result.rows.end(), std::back_inserter(all.rows));
    if (last) {
      util::log(util::LogLevel::info, "input {}: read in {} page(s) of at most {} rows{}", def.id, pages, page,
                own ? ", a transaction each" : "");
      return all;
    }
    if (own) {
      own->begin_again(); // releases this page's locks
    }
  }
}

void
SharedInputs::provide(const std::string& id, std::string json)
{
  const auto it = m_inputs.find(id);
  if (it == m_inputs.end()) {
    throw util::Error(fmt::format("no input \"{}\"", id));
  }
  auto& input = *it->second;
  std::lock_guard lock(input.mutex);
  input.json = std::move(json);
  input.read = true;
  input.provided = true;
}

bool
SharedInputs::provided(const std::string& id) const
{
  const auto it = m_inputs.find(id);
  return it != m_inputs.end() && it->second->provided;
}

std::vector<model::CheckTiming>
SharedInputs::timings() const
{
  std::lock_guard lock(m_timings_mutex);
  return m_timings;
}

} // namespace audit
