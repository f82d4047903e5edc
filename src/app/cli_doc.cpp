#include "app/cli_doc.hpp"

#include "util/text.hpp"

namespace app {

namespace {

// The values of an IsMember check: CLI11 appends "{a,b,c}" to the option's type name.
std::vector<std::string>
choices_in(const std::string& type_name)
{
  const auto open = type_name.find('{');
  const auto close = type_name.find('}', open);
  std::vector<std::string> out;
  if (open == std::string::npos || close == std::string::npos) {
    return out;
  }
  for (const auto& item : util::split(type_name.substr(open + 1, close - open - 1), ',')) {
    out.emplace_back(util::trim(item));
  }
  return out;
}

OptionDoc
describe_option(const CLI::Option& opt)
{
  OptionDoc doc;
  for (const auto& s : opt.get_snames()) {
    doc.names.push_back("-" + s);
  }
  for (const auto& l : opt.get_lnames()) {
    doc.names.push_back("--" + l);
  }
  const auto type_name = opt.get_type_name();
  doc.value_name = type_name.substr(0, type_name.find(':'));
  doc.takes_value = opt.get_type_size_max() > 0 && !doc.value_name.empty(); // flags have no type name
  doc.choices = choices_in(type_name);
  doc.description = opt.get_description();
  return doc;
}

CommandDoc
describe(const CLI::App& app, std::vector<std::string> path)
{
  CommandDoc doc;
  doc.path = std::move(path);
  doc.description = app.get_description();
  for (const auto* opt : app.get_options()) {
    // Hidden options have no group; every subcommand's --help is said once, at the root.
    const bool subcommand_help = !doc.path.empty() && opt == app.get_help_ptr();
    if (!opt->get_group().empty() && !subcommand_help &&
        (!opt->get_snames().empty() || !opt->get_lnames().empty())) {
      doc.options.push_back(describe_option(*opt));
    }
  }
  for (const auto* sub : app.get_subcommands([](const CLI::App* a) { return !a->get_group().empty(); })) {
    auto sub_path = doc.path;
    sub_path.push_back(sub->get_name());
    doc.subcommands.push_back(describe(*sub, std::move(sub_path)));
  }
  return doc;
}

} // namespace

bool
OptionDoc::takes_path() const
{
  for (const auto& n : names) {
    if (n == "-o" || n == "--output" || n == "--history" || n == "--config" || n == "--queries" ||
        n == "--templates" || n == "--query-log") {
      return true;
    }
  }
  return false;
}

bool
OptionDoc::takes_check_id() const
{
  for (const auto& n : names) {
    if (n == "--check" || n == "--explain") {
      return true;
    }
  }
  return false;
}

std::string
CommandDoc::invocation() const
{
  std::string out = "schema-audit";
  for (const auto& p : path) {
    out += " " + p;
  }
  return out;
}

CommandDoc
describe_cli(const CLI::App& cli)
{
  return describe(cli, {});
}

} // namespace app
