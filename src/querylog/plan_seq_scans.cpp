#include "querylog/plan_seq_scans.hpp"

#include "querylog/statement_shape.hpp"

#include <nlohmann/json.hpp>

#include <charconv>

namespace querylog {

namespace {

using nlohmann::json;

double
number_after(std::string_view text, std::string_view key)
{
  const auto at = text.find(key);
  if (at == std::string_view::npos) {
    return 0;
  }
  double value = 0;
  const auto* begin = text.data() + at + key.size();
  std::from_chars(begin, text.data() + text.size(), value);
  return value;
}

void
json_nodes(const json& node, std::vector<SeqScanNode>& out)
{
  if (!node.is_object()) {
    return;
  }
  const auto type = node.value("Node Type", "");
  if (type == "Seq Scan") {
    SeqScanNode n;
    n.schema = node.value("Schema", "");
    n.relation = node.value("Relation Name", "");
    n.filter = statement_shape(node.value("Filter", ""), true);
    n.rows_removed = node.value("Rows Removed by Filter", 0.0);
    n.loops = node.value("Actual Loops", 1.0);
    n.total_ms = node.value("Actual Total Time", 0.0) * n.loops;
    out.push_back(std::move(n));
  }
  if (const auto it = node.find("Plans"); it != node.end() && it->is_array()) {
    for (const auto& child : *it) {
      json_nodes(child, out);
    }
  }
}

std::size_t
indent_of(std::string_view line)
{
  std::size_t n = 0;
  while (n < line.size() && (line[n] == ' ' || line[n] == '\t')) {
    ++n;
  }
  return n;
}

// "Seq Scan on [schema.]relation [alias]  (cost=...) (actual time=A..B rows=R loops=L)"
std::optional<SeqScanNode>
text_node(std::string_view line)
{
  constexpr std::string_view marker = "Seq Scan on ";
  const auto at = line.find(marker);
  if (at == std::string_view::npos) {
    return std::nullopt;
  }
  const auto before = line.substr(0, at);
  if (before.find_first_not_of(" \t->") != std::string_view::npos && before.find("Parallel ") == std::string_view::npos) {
    return std::nullopt;
  }
  SeqScanNode n;
  auto rest = line.substr(at + marker.size());
  const auto name = rest.substr(0, rest.find(' '));
  // Quoted names keep their quotes out; a qualified one (log_verbose) splits at the last '.'.
  std::string plain;
  for (const char c : name) {
    if (c != '"') {
      plain += c;
    }
  }
  if (const auto dot = plain.rfind('.'); dot != std::string::npos) {
    n.schema = plain.substr(0, dot);
    n.relation = plain.substr(dot + 1);
  } else {
    n.relation = plain;
  }
  const auto actual = rest.find("(actual time=");
  if (actual != std::string_view::npos) {
    const auto times = rest.substr(actual);
    const auto dots = times.find("..");
    double total = 0;
    if (dots != std::string_view::npos) {
      std::from_chars(times.data() + dots + 2, times.data() + times.size(), total);
    }
    n.loops = number_after(times, "loops=");
    n.total_ms = total * n.loops;
  }
  return n;
}

std::vector<SeqScanNode>
text_nodes(std::string_view plan)
{
  std::vector<SeqScanNode> out;
  std::optional<SeqScanNode> current;
  std::size_t current_indent = 0;
  std::size_t pos = 0;
  while (pos <= plan.size()) {
    auto end = plan.find('\n', pos);
    if (end == std::string_view::npos) {
      end = plan.size();
    }
    const auto line = plan.substr(pos, end - pos);
    pos = end + 1;
    const auto indent = indent_of(line);
    const auto body = line.substr(indent);
    if (current && indent > current_indent && body.rfind("->", 0) != 0) {
      if (body.rfind("Filter: ", 0) == 0) {
        current->filter = statement_shape(body.substr(8), true);
      } else if (body.rfind("Rows Removed by Filter: ", 0) == 0) {
        current->rows_removed = number_after(body, "Rows Removed by Filter: ");
      }
      continue;
    }
    if (current) {
      out.push_back(std::move(*current));
      current.reset();
    }
    if (auto node = text_node(line)) {
      current = std::move(node);
      current_indent = indent;
    }
  }
  if (current) {
    out.push_back(std::move(*current));
  }
  return out;
}

} // namespace

std::optional<std::vector<SeqScanNode>>
plan_seq_scans(std::string_view plan)
{
  const auto first = plan.find_first_not_of(" \t\n");
  if (first == std::string_view::npos) {
    return std::nullopt;
  }
  if (plan[first] == '{') {
    const auto doc = json::parse(plan.substr(first), nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("Plan")) {
      return std::nullopt;
    }
    std::vector<SeqScanNode> out;
    json_nodes(doc["Plan"], out);
    return out;
  }
  if (plan.substr(first).rfind("Query Text:", 0) != 0) {
    return std::nullopt;
  }
  return text_nodes(plan);
}

} // namespace querylog
