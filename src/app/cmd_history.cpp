#include "app/commands.hpp"

#include "report/json_writer.hpp"
#include "store/history_store.hpp"
#include "util/time.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <iostream>

namespace app {

void
add_history_command(CLI::App& app, GlobalOptions&, Action& chosen)
{
  struct Args
  {
    std::string history;
    std::optional<std::string> db_name;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("history", "List the stored snapshots");
  add_history_option(*cmd, args->history);
  cmd->add_option("--db-name", args->db_name, "Only this database");
  cmd->add_flag("--json", args->json, "Print JSON");
  cmd->callback([args, &chosen]() {
    chosen = [args]() {
      const auto history = store::open_history(args->history, store::HistoryStore::Mode::read_only);
      const auto snapshots = history->list(args->db_name);
      if (args->json) {
        auto out = nlohmann::json::array();
        for (const auto& s : snapshots) {
          out.push_back({{"id", s.id}, {"name", s.target_name}, {"dbname", s.dbname}, {"host", s.host},
                         {"port", s.port}, {"taken_at", util::format_iso(s.taken_at)},
                         {"server_version", s.server_version}, {"findings", s.finding_count},
                         {"skipped", s.skipped_count}});
        }
        report::write_json(out, std::cout);
        std::cout << '\n';
        return 0;
      }
      fmt::print("{:>4}  {:<20}  {:<20}  {:>8}  {:>7}  {}\n", "id", "taken at", "database", "findings", "skipped", "server");
      for (const auto& s : snapshots) {
        fmt::print("{:>4}  {:<20}  {:<20}  {:>8}  {:>7}  {}\n", s.id, util::format_iso(s.taken_at), s.target_name,
                   s.finding_count, s.skipped_count, s.server_version);
      }
      return 0;
    };
  });
}

} // namespace app
