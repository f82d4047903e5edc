#pragma once

#include "app/cli_doc.hpp"

#include <ostream>
#include <string>
#include <vector>

namespace app {

// Shell completion scripts generated from the command tree: subcommands, options, the values of
// options with a fixed set (--format, --fail-on), check ids for --check and --explain, and file
// names for paths. bash: `complete -F`; zsh: a #compdef function.
void write_bash_completion(const CommandDoc& cli, const std::vector<std::string>& check_ids, std::ostream& out);
void write_zsh_completion(const CommandDoc& cli, const std::vector<std::string>& check_ids, std::ostream& out);

} // namespace app
