#include "app/man_page.hpp"

#include "util/error.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

#include <string>

namespace app {

namespace {

// `text` safe in a roff text line: backslashes escaped, hyphens as \- (so options copy and
// search as typed), and a line that starts with a control character guarded.
std::string
roff_escape(std::string_view text)
{
  std::string out;
  for (const char c : text) {
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) {
    out.insert(0, "\\&");
  }
  return out;
}

// Markdown inline markup to roff: `code` and **strong** in bold, [text](link) as its text.
std::string
inline_markup(std::string_view line)
{
  std::string out;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '`') {
      const auto end = line.find('`', i + 1);
      if (end != std::string_view::npos) {
        out += "\\fB" + roff_escape(line.substr(i + 1, end - i - 1)) + "\\fR";
        i = end;
        continue;
      }
    }
    if (line.substr(i, 2) == "**") {
      const auto end = line.find("**", i + 2);
      if (end != std::string_view::npos) {
        out += "\\fB" + roff_escape(line.substr(i + 2, end - i - 2)) + "\\fR";
        i = end + 1;
        continue;
      }
    }
    if (line[i] == '[') {
      const auto close = line.find("](", i);
      const auto end = close == std::string_view::npos ? close : line.find(')', close);
      if (end != std::string_view::npos) {
        out += inline_markup(line.substr(i + 1, close - i - 1));
        i = end;
        continue;
      }
    }
    out += roff_escape(line.substr(i, 1));
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) {
    out.insert(0, "\\&");
  }
  return out;
}

// The body of the README section headed "## `title`", up to the next heading of that level.
std::string_view
readme_section(std::string_view readme, std::string_view title)
{
  const auto heading = fmt::format("\n## {}\n", title);
  const auto start = readme.find(heading);
  if (start == std::string_view::npos) {
    throw util::Fatal(util::ExitCode::usage,
                      fmt::format("README has no \"## {}\" section, which the man page takes", title));
  }
  const auto body = start + heading.size();
  const auto end = readme.find("\n## ", body);
  return readme.substr(body, end == std::string_view::npos ? std::string_view::npos : end - body);
}

// The README's introduction: from its paragraph "schema-audit audits ..." to the first section.
std::string_view
readme_intro(std::string_view readme)
{
  const auto start = readme.find("\nschema-audit audits ");
  const auto end = readme.find("\n## ", start);
  if (start == std::string_view::npos || end == std::string_view::npos) {
    throw util::Fatal(util::ExitCode::usage,
                      "README has no introduction starting \"schema-audit audits\", which the man page takes");
  }
  return readme.substr(start + 1, end - start - 1);
}

// Markdown (paragraphs, "- " lists, tables, fenced code) to man(7) markup.
void
write_markdown(std::string_view markdown, std::ostream& out)
{
  bool in_code = false;
  bool paragraph_open = false;
  for (const auto& raw : util::split(markdown, '\n')) {
    const std::string_view line = raw;
    if (line.substr(0, 3) == "```") {
      out << (in_code ? ".fi\n.RE\n" : ".PP\n.RS 4\n.nf\n");
      in_code = !in_code;
      paragraph_open = false;
      continue;
    }
    if (in_code) {
      out << "\\&" << roff_escape(line) << "\n";
      continue;
    }
    const auto text = util::trim(line);
    if (text.empty()) {
      paragraph_open = false;
    } else if (text.front() == '|') {
      auto cells = util::split(text.substr(1, text.size() - 2), '|');
      const auto first = std::string(util::trim(cells.front()));
      if (first.find_first_not_of("- :") == std::string::npos || first == "code" || first == "what") {
        continue; // the header row and its rule
      }
      out << ".TP\n" << inline_markup(first) << "\n";
      for (std::size_t i = 1; i < cells.size(); ++i) {
        out << inline_markup(util::trim(cells[i])) << "\n";
      }
      paragraph_open = false;
    } else if (text.substr(0, 2) == "- ") {
      out << ".IP \\(bu 2\n" << inline_markup(text.substr(2)) << "\n";
      paragraph_open = true;
    } else {
      if (!paragraph_open) {
        out << ".PP\n";
        paragraph_open = true;
      }
      out << inline_markup(text) << "\n";
    }
  }
}

void
write_options(const std::vector<OptionDoc>& options, std::ostream& out)
{
  for (const auto& opt : options) {
    std::string names;
    for (const auto& n : opt.names) {
      names += (names.empty() ? "" : ", ") + std::string("\\fB") + roff_escape(n) + "\\fR";
    }
    if (opt.takes_value) {
      names += " \\fI" + roff_escape(opt.value_name) + "\\fR";
    }
    out << ".TP\n" << names << "\n" << roff_escape(opt.description);
    if (!opt.choices.empty()) {
      out << roff_escape(fmt::format(" (one of: {})", fmt::join(opt.choices, ", ")));
    }
    out << "\n";
  }
}

void
write_commands(const CommandDoc& command, std::ostream& out)
{
  for (const auto& sub : command.subcommands) {
    out << ".SS " << roff_escape(sub.invocation()) << "\n" << roff_escape(sub.description) << "\n";
    write_options(sub.options, out);
    write_commands(sub, out);
  }
}

void
write_synopsis(const CommandDoc& command, std::ostream& out)
{
  for (const auto& sub : command.subcommands) {
    if (sub.subcommands.empty() || !sub.options.empty()) {
      out << ".br\n\\fB" << roff_escape(sub.invocation()) << "\\fR [\\fIoptions\\fR]\n";
    }
    write_synopsis(sub, out);
  }
}

} // namespace

void
write_man_page(const CommandDoc& cli,
               const std::vector<model::CheckDef>& checks,
               std::string_view readme,
               std::ostream& out)
{
  out << ".\\\" Generated by schema-audit-docgen from the command line definitions and README.md.\n"
      << ".TH SCHEMA\\-AUDIT 1 \"\" \"schema\\-audit " << SCHEMA_AUDIT_VERSION << "\" \"User Commands\"\n"
      << ".SH NAME\nschema\\-audit \\- audit PostgreSQL schemas and report how they drift\n"
      << ".SH SYNOPSIS\n";
  write_synopsis(cli, out);
  out << ".br\n\\fBschema\\-audit\\fR \\fB\\-\\-help\\fR | \\fB\\-\\-version\\fR\n"
      << ".SH DESCRIPTION\n";
  write_markdown(readme_intro(readme), out);
  out << ".SH OPTIONS\n";
  write_options(cli.options, out);
  out << ".SH COMMANDS\n";
  write_commands(cli, out);
  out << ".SH CHECKS\n";
  for (const auto& check : checks) {
    out << ".TP\n\\fB" << roff_escape(check.id) << "\\fR (" << roff_escape(check.category) << ")\n"
        << roff_escape(check.title) << "\n";
  }
  out << ".SH EXIT STATUS\n";
  write_markdown(readme_section(readme, "Exit codes"), out);
  out << ".SH ENVIRONMENT\n";
  write_markdown(readme_section(readme, "Environment"), out);
  out << ".SH FILES\n";
  write_markdown(readme_section(readme, "Files"), out);
  out << ".SH EXAMPLES\n";
  write_markdown(readme_section(readme, "Quick start"), out);
  out << ".SH SEE ALSO\n\\fBpsql\\fR(1), \\fBpg_dump\\fR(1)\n";
}

} // namespace app
