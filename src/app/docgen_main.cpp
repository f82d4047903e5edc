// schema-audit-docgen: writes the man page and the shell completions from the command line
// definitions, at build time (src/CMakeLists.txt). Not installed.
//   schema-audit-docgen man README.md OUT | bash OUT | zsh OUT
#include "app/cli_doc.hpp"
#include "app/commands.hpp"
#include "app/completion.hpp"
#include "app/man_page.hpp"
#include "audit/registry.hpp"

#include <cstdio>
#include <exception>
#include <fstream>
#include <sstream>
#include <string>

int
main(int argc, char** argv)
{
  const std::string what = argc > 1 ? argv[1] : "";
  if (!((what == "man" && argc == 4) || ((what == "bash" || what == "zsh") && argc == 3))) {
    std::fprintf(stderr, "usage: schema-audit-docgen man README.md OUT | bash OUT | zsh OUT\n");
    return 2;
  }
  try {
    CLI::App cli;
    app::GlobalOptions global;
    app::Action chosen;
    app::define_cli(cli, global, chosen);
    const auto tree = app::describe_cli(cli);
    const auto registry = audit::Registry::load();
    std::vector<std::string> ids;
    for (const auto& check : registry.checks()) {
      ids.push_back(check.id);
    }
    std::ofstream out(argv[argc - 1], std::ios::binary);
    if (what == "man") {
      std::ifstream in(argv[2], std::ios::binary);
      std::stringstream readme;
      readme << in.rdbuf();
      app::write_man_page(tree, registry.checks(), readme.str(), out);
    } else if (what == "bash") {
      app::write_bash_completion(tree, ids, out);
    } else {
      app::write_zsh_completion(tree, ids, out);
    }
    out.close();
    if (!out) {
      std::fprintf(stderr, "schema-audit-docgen: cannot write %s\n", argv[argc - 1]);
      return 1;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "schema-audit-docgen: %s\n", e.what());
    return 1;
  }
  return 0;
}
