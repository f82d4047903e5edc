#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace app {

// One option of the command tree, as the man page and the shell completions describe it.
struct OptionDoc
{
  std::vector<std::string> names; // "-o", "--output"
  bool takes_value = false;
  std::string value_name;           // "TEXT", "INT", ...
  std::vector<std::string> choices; // from an IsMember check, e.g. {"text", "json"}
  std::string description;

  // Whether the value is a path (completed with file names).
  bool takes_path() const;
  // Whether the value is a check id (completed with the registry's ids).
  bool takes_check_id() const;
};

// A command and its subcommands; the root is schema-audit itself.
struct CommandDoc
{
  std::vector<std::string> path; // {} for the root, {"audit"}, {"history", "import"}
  std::string description;
  std::vector<OptionDoc> options;
  std::vector<CommandDoc> subcommands;

  // "schema-audit audit", "schema-audit history import"
  std::string invocation() const;
};

// The command tree `cli` defines (app::define_cli), in declaration order.
CommandDoc describe_cli(const CLI::App& cli);

} // namespace app
