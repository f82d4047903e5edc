#include "app/completion.hpp"

#include <fmt/format.h>

#include <functional>

namespace app {

namespace {

// A command's node name in the scripts: "root", "audit", "history_import".
std::string
node_of(const CommandDoc& command)
{
  return command.path.empty() ? "root" : fmt::format("{}", fmt::join(command.path, "_"));
}

void
for_each_command(const CommandDoc& command, const std::function<void(const CommandDoc&)>& visit)
{
  visit(command);
  for (const auto& sub : command.subcommands) {
    for_each_command(sub, visit);
  }
}

// `text` inside single quotes in a shell script.
std::string
single_quoted(std::string_view text)
{
  std::string out = "'";
  for (const char c : text) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

// The shell words that complete an option's value, or "" when the value is free text: a
// compgen/compadd word list, or the marker "FILES".
std::string
value_words(const OptionDoc& opt, const std::vector<std::string>& check_ids)
{
  if (!opt.choices.empty()) {
    return fmt::format("{}", fmt::join(opt.choices, " "));
  }
  if (opt.takes_check_id()) {
    return fmt::format("{}", fmt::join(check_ids, " "));
  }
  return opt.takes_path() ? "FILES" : "";
}

// Calls `visit` with the case pattern "node:--option" and the value words of every option, in
// every command, whose value can be completed.
void
for_each_value_option(const CommandDoc& cli,
                      const std::vector<std::string>& check_ids,
                      const std::function<void(const std::string&, const std::string&)>& visit)
{
  for_each_command(cli, [&](const CommandDoc& command) {
    for (const auto& opt : command.options) {
      const auto words = value_words(opt, check_ids);
      if (!opt.takes_value || words.empty()) {
        continue;
      }
      for (const auto& name : opt.names) {
        visit(node_of(command) + ":" + name, words);
      }
    }
  });
}

// The case arms that find the current node from the words typed before the cursor.
void
write_node_walk(const CommandDoc& cli, std::ostream& out)
{
  for_each_command(cli, [&](const CommandDoc& command) {
    for (const auto& sub : command.subcommands) {
      out << fmt::format("      {}/{}) node={} ;;\n", node_of(command), sub.path.back(), node_of(sub));
    }
  });
}

} // namespace

void
write_bash_completion(const CommandDoc& cli, const std::vector<std::string>& check_ids, std::ostream& out)
{
  out << "# bash completion for schema-audit, generated from its command line definitions\n"
      << "_schema_audit()\n{\n"
      << "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} node=root i\n"
      << "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      << "    case \"$node/${COMP_WORDS[i]}\" in\n";
  write_node_walk(cli, out);
  out << "    esac\n  done\n  case \"$node:$prev\" in\n";
  for_each_value_option(cli, check_ids, [&](const std::string& arm, const std::string& words) {
    out << "    " << arm << ") ";
    if (words == "FILES") {
      out << "COMPREPLY=($(compgen -f -- \"$cur\")); compopt -o filenames 2>/dev/null; return ;;\n";
    } else {
      out << "COMPREPLY=($(compgen -W " << single_quoted(words) << " -- \"$cur\")); return ;;\n";
    }
  });
  out << "  esac\n  case $node in\n";
  for_each_command(cli, [&](const CommandDoc& command) {
    std::string words;
    for (const auto& sub : command.subcommands) {
      words += sub.path.back() + " ";
    }
    for (const auto& opt : command.options) {
      for (const auto& name : opt.names) {
        words += name + " ";
      }
    }
    out << "    " << node_of(command) << ") COMPREPLY=($(compgen -W " << single_quoted(words)
        << " -- \"$cur\")) ;;\n";
  });
  out << "  esac\n}\ncomplete -F _schema_audit schema-audit\n";
}

void
write_zsh_completion(const CommandDoc& cli, const std::vector<std::string>& check_ids, std::ostream& out)
{
  // _describe entries are "word:description", with any colon of either escaped.
  const auto entry = [](std::string_view word, std::string_view text) {
    std::string escaped;
    const auto add = [&](std::string_view part) {
      for (const char c : part) {
        escaped += c == ':' ? std::string("\\:") : std::string(1, c);
      }
    };
    add(word);
    escaped += ':';
    add(text);
    return single_quoted(escaped);
  };
  out << "#compdef schema-audit\n"
      << "# zsh completion for schema-audit, generated from its command line definitions\n"
      << "_schema_audit()\n{\n"
      << "  local node=root prev=${words[CURRENT-1]} i\n"
      << "  local -a items\n"
      << "  for ((i = 2; i < CURRENT; i++)); do\n"
      << "    case \"$node/${words[i]}\" in\n";
  write_node_walk(cli, out);
  out << "    esac\n  done\n  case \"$node:$prev\" in\n";
  for_each_value_option(cli, check_ids, [&](const std::string& arm, const std::string& words) {
    out << "    " << arm << ") " << (words == "FILES" ? std::string("_files") : "compadd -- " + words)
        << "; return ;;\n";
  });
  out << "  esac\n  case $node in\n";
  for_each_command(cli, [&](const CommandDoc& command) {
    out << "    " << node_of(command) << ") items=(";
    for (const auto& sub : command.subcommands) {
      out << " " << entry(sub.path.back(), sub.description);
    }
    for (const auto& opt : command.options) {
      for (const auto& name : opt.names) {
        out << " " << entry(name, opt.description);
      }
    }
    out << " ) ;;\n";
  });
  out << "  esac\n  _describe 'schema-audit' items\n}\n_schema_audit \"$@\"\n";
}

} // namespace app
