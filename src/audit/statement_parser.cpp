#include "audit/statement_parser.hpp"

#include "util/error.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <pg_query.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace audit {

namespace {

using nlohmann::json;

// The names visible in one query level: aliases (or bare table names) of its FROM items, and
// the CTE names of its WITH clause. A FROM item that is no table (subquery, function, CTE)
// maps to nullopt.
struct Scope
{
  const Scope* parent = nullptr;
  std::vector<std::pair<std::string, std::optional<TableName>>> items;
  std::set<std::string> ctes;

  bool is_cte(const std::string& name) const
  {
    for (const Scope* s = this; s; s = s->parent) {
      if (s->ctes.count(name)) {
        return true;
      }
    }
    return false;
  }
};

// The node type and body of a node such as {"ColumnRef": {...}}.
std::pair<std::string, const json*>
node_of(const json& node)
{
  if (node.is_object() && node.size() == 1) {
    const auto it = node.begin();
    if (it.value().is_object()) {
      return {it.key(), &it.value()};
    }
  }
  return {"", nullptr};
}

std::string
string_of(const json& node)
{
  const auto [type, body] = node_of(node);
  if (type == "String" && body->contains("sval")) {
    return (*body)["sval"].get<std::string>();
  }
  return {};
}

class Walker
{
public:
  ParsedStatement result;

  void statement(const json& node, const Scope* parent)
  {
    const auto [type, body] = node_of(node);
    if (!body) {
      any(node, parent);
    } else if (type == "SelectStmt") {
      select(*body, parent);
    } else if (type == "InsertStmt") {
      insert(*body, parent);
    } else if (type == "UpdateStmt") {
      update(*body, parent);
    } else if (type == "DeleteStmt") {
      delete_(*body, parent);
    } else if (type == "CopyStmt") {
      copy(*body, parent);
    } else {
      any(node, parent);
    }
  }

private:
  // Any node: statements nested in it get their own scope, column references resolve in
  // `scope`, tables named outside a FROM clause (LOCK, TRUNCATE, ...) are recorded.
  void any(const json& node, const Scope* scope)
  {
    if (node.is_array()) {
      for (const auto& item : node) {
        any(item, scope);
      }
      return;
    }
    if (!node.is_object()) {
      return;
    }
    const auto [type, body] = node_of(node);
    if (type == "SelectStmt" || type == "InsertStmt" || type == "UpdateStmt"
        || type == "DeleteStmt" || type == "CopyStmt") {
      statement(node, scope);
    } else if (type == "ColumnRef") {
      column_ref(*body, scope, ColumnUse::reference, result.references);
    } else if (type == "RangeVar") {
      table_of(*body, scope);
    } else {
      for (const auto& [key, value] : node.items()) {
        any(value, scope);
      }
    }
  }

  void add_table(const TableName& t)
  {
    if (std::find(result.tables.begin(), result.tables.end(), t) == result.tables.end()) {
      result.tables.push_back(t);
    }
  }

  // The table a RangeVar names, or nullopt when it names a CTE.
  std::optional<TableName> table_of(const json& range_var, const Scope* scope)
  {
    TableName t{range_var.value("schemaname", ""), range_var.value("relname", "")};
    if (t.schema.empty() && scope && scope->is_cte(t.name)) {
      return std::nullopt;
    }
    add_table(t);
    return t;
  }

  static std::string alias_of(const json& body)
  {
    if (const auto it = body.find("alias"); it != body.end()) {
      return it->value("aliasname", "");
    }
    return {};
  }

  void add_range_var(const json& range_var, Scope& scope)
  {
    const auto t = table_of(range_var, &scope);
    const auto alias = alias_of(range_var);
    scope.items.emplace_back(alias.empty() ? range_var.value("relname", "") : alias, t);
    if (alias.empty() && t && !t->schema.empty()) {
      scope.items.emplace_back(t->schema + "." + t->name, t);
    }
  }

  // Adds a FROM item to `scope`; returns the tables it brings in (for JOIN ... USING).
  std::vector<TableName> from_item(const json& node, Scope& scope)
  {
    const auto [type, body] = node_of(node);
    std::vector<TableName> tables;
    if (type == "RangeVar") {
      add_range_var(*body, scope);
      if (scope.items.back().second) {
        tables.push_back(*scope.items.back().second);
      }
    } else if (type == "JoinExpr") {
      tables = from_item(body->value("larg", json()), scope);
      const auto right = from_item(body->value("rarg", json()), scope);
      tables.insert(tables.end(), right.begin(), right.end());
      if (const auto it = body->find("quals"); it != body->end()) {
        filters(*it, scope);
        any(*it, &scope);
      }
      if (const auto it = body->find("usingClause"); it != body->end()) {
        for (const auto& name : *it) {
          const ColumnRef ref{string_of(name), tables, ColumnUse::join};
          result.filters.push_back(ref);
          result.references.push_back(ColumnRef{ref.column, tables, ColumnUse::reference});
        }
      }
      const auto alias = alias_of(*body);
      if (!alias.empty()) {
        scope.items.emplace_back(alias, std::nullopt);
      }
    } else if (type == "RangeSubselect") {
      // A LATERAL subquery sees the FROM items before it; any other sees only outer levels.
      statement(body->value("subquery", json()), body->value("lateral", false) ? &scope : scope.parent);
      scope.items.emplace_back(alias_of(*body), std::nullopt);
    } else if (body) {
      // Functions, table samples, XMLTABLE, ...: arguments may reference earlier items.
      for (const auto& [key, value] : body->items()) {
        if (key != "alias") {
          any(value, &scope);
        }
      }
      scope.items.emplace_back(alias_of(*body), std::nullopt);
    }
    return tables;
  }

  void with_clause(const json& stmt, Scope& scope)
  {
    const auto with = stmt.find("withClause");
    if (with == stmt.end()) {
      return;
    }
    for (const auto& cte : with->value("ctes", json::array())) {
      const auto [type, body] = node_of(cte);
      if (type != "CommonTableExpr") {
        continue;
      }
      const auto name = body->value("ctename", "");
      if (with->value("recursive", false)) {
        scope.ctes.insert(name);
      }
      statement(body->value("ctequery", json()), &scope);
      scope.ctes.insert(name);
    }
  }

  void select(const json& s, const Scope* parent)
  {
    Scope scope{parent, {}, {}};
    with_clause(s, scope);
    if (s.value("op", "SETOP_NONE") != "SETOP_NONE") {
      select(s.value("larg", json::object()), &scope);
      select(s.value("rarg", json::object()), &scope);
      any(s.value("sortClause", json()), &scope);
      return;
    }
    for (const auto& item : s.value("fromClause", json::array())) {
      from_item(item, scope);
    }
    if (const auto it = s.find("whereClause"); it != s.end()) {
      filters(*it, scope);
    }
    for (const auto& [key, value] : s.items()) {
      if (key != "fromClause" && key != "withClause") {
        any(value, &scope);
      }
    }
  }

  // The target of INSERT/UPDATE/DELETE/COPY, added to `scope`.
  std::optional<TableName> target(const json& stmt, Scope& scope)
  {
    add_range_var(stmt.value("relation", json::object()), scope);
    return scope.items.back().second;
  }

  void named_columns(const json& list, const std::optional<TableName>& table)
  {
    for (const auto& item : list) {
      const auto [type, body] = node_of(item);
      const auto name = type == "ResTarget" ? body->value("name", "") : string_of(item);
      if (!name.empty()) {
        result.references.push_back(ColumnRef{name, table ? std::vector{*table} : std::vector<TableName>{}, ColumnUse::reference});
      }
    }
  }

  // The columns an INSERT or COPY lists under `key`, or all of them ("*") when it lists none.
  void listed_columns(const json& s, const char* key, const std::optional<TableName>& table)
  {
    if (const auto it = s.find(key); it != s.end() && !it->empty()) {
      named_columns(*it, table);
    } else if (table) {
      result.references.push_back(ColumnRef{"*", {*table}, ColumnUse::reference});
    }
  }

  void insert(const json& s, const Scope* parent)
  {
    Scope scope{parent, {}, {}};
    with_clause(s, scope);
    const auto table = target(s, scope);
    listed_columns(s, "cols", table);
    // The VALUES or SELECT does not see the target table, only the WITH's names: an unqualified
    // column of its WHERE is one of its own FROM's (Sourcegraph's INSERT INTO user_emails (...)
    // SELECT ... FROM users WHERE tenant_id = $1 asked for an index on user_emails)
    Scope source{parent, {}, scope.ctes};
    statement(s.value("selectStmt", json()), &source);
    if (const auto it = s.find("onConflictClause"); it != s.end()) {
      Scope conflict{&scope, {{"excluded", std::nullopt}}, {}};
      const json* body = &*it;
      for (const auto& elem : body->value("infer", json::object()).value("indexElems", json::array())) {
        const auto [etype, ebody] = node_of(elem);
        if (etype == "IndexElem" && ebody->contains("name")) {
          result.references.push_back(ColumnRef{ebody->value("name", ""), table ? std::vector{*table} : std::vector<TableName>{}, ColumnUse::reference});
        }
      }
      named_columns(body->value("targetList", json::array()), table);
      any(body->value("targetList", json::array()), &conflict);
      any(body->value("whereClause", json()), &conflict);
    }
    any(s.value("returningList", json()), &scope);
  }

  // The part UPDATE and DELETE share: the WITH, the target table, the extra tables of `from_key`
  // (UPDATE's FROM, DELETE's USING) and the WHERE filters. Returns the target table.
  std::optional<TableName> filtered_target(const json& s, Scope& scope, const char* from_key)
  {
    with_clause(s, scope);
    const auto table = target(s, scope);
    for (const auto& item : s.value(from_key, json::array())) {
      from_item(item, scope);
    }
    if (const auto it = s.find("whereClause"); it != s.end()) {
      filters(*it, scope);
    }
    return table;
  }

  void update(const json& s, const Scope* parent)
  {
    Scope scope{parent, {}, {}};
    const auto table = filtered_target(s, scope, "fromClause");
    named_columns(s.value("targetList", json::array()), table);
    for (const auto& key : {"targetList", "whereClause", "returningList"}) {
      any(s.value(key, json()), &scope);
    }
  }

  void delete_(const json& s, const Scope* parent)
  {
    Scope scope{parent, {}, {}};
    filtered_target(s, scope, "usingClause");
    for (const auto& key : {"whereClause", "returningList"}) {
      any(s.value(key, json()), &scope);
    }
  }

  void copy(const json& s, const Scope* parent)
  {
    Scope scope{parent, {}, {}};
    if (s.contains("relation")) {
      const auto table = target(s, scope);
      listed_columns(s, "attlist", table);
    }
    statement(s.value("query", json()), &scope);
  }

  // Resolves a ColumnRef node in `scope` and appends it to `out` with `use`. Returns whether
  // it was a column of some level's FROM item (so comparisons with it are joins, not filters).
  bool column_ref(const json& body, const Scope* scope, ColumnUse use, std::vector<ColumnRef>& out)
  {
    std::vector<std::string> names;
    bool star = false;
    for (const auto& field : body.value("fields", json::array())) {
      if (node_of(field).first == "A_Star") {
        star = true;
      } else {
        names.push_back(string_of(field));
      }
    }
    ColumnRef ref{star ? "*" : (names.empty() ? "" : names.back()), {}, use};
    if (!star && !names.empty()) {
      names.pop_back();
    }
    if (names.empty()) {
      // Unqualified: a column of some table in scope, the innermost level first.
      for (const Scope* s = scope; s; s = s->parent) {
        for (const auto& [name, table] : s->items) {
          if (table && std::find(ref.tables.begin(), ref.tables.end(), *table) == ref.tables.end()) {
            ref.tables.push_back(*table);
          }
        }
        if (star && !s->items.empty()) {
          break;
        }
      }
    } else {
      // Qualified: [catalog.][schema.]relation-or-alias.
      const auto qualifier = names.size() >= 2 ? names[names.size() - 2] + "." + names.back() : names.back();
      bool found = false;
      for (const Scope* s = scope; s && !found; s = s->parent) {
        for (const auto& [name, table] : s->items) {
          if (name == qualifier) {
            if (table) {
              ref.tables.push_back(*table);
            }
            found = true;
            break;
          }
        }
      }
      if (!found && names.size() >= 2) {
        ref.tables.push_back(TableName{names[names.size() - 2], names.back()});
      }
    }
    if (ref.column.empty()) {
      return false;
    }
    out.push_back(ref);
    return !ref.tables.empty();
  }

  // The column a comparison operand is, when it is a plain column reference.
  static const json* plain_column(const json& operand)
  {
    const auto [type, body] = node_of(operand);
    return type == "ColumnRef" ? body : nullptr;
  }

  // Whether `node` mentions any column (then it is no constant for an index lookup).
  static bool mentions_column(const json& node)
  {
    if (node.is_object()) {
      if (node.contains("ColumnRef")) {
        return true;
      }
      for (const auto& [key, value] : node.items()) {
        if (key != "SelectStmt" && mentions_column(value)) {
          return true;
        }
      }
    } else if (node.is_array()) {
      for (const auto& item : node) {
        if (mentions_column(item)) {
          return true;
        }
      }
    }
    return false;
  }

  void compare(const json& column, const json& other, ColumnUse use, const Scope& scope)
  {
    if (const auto* right = plain_column(other)) {
      column_ref(column, &scope, ColumnUse::join, result.filters);
      column_ref(*right, &scope, ColumnUse::join, result.filters);
    } else if (!mentions_column(other)) {
      column_ref(column, &scope, use, result.filters);
    }
  }

  // The comparisons in `expr` (a WHERE or ON condition), descending through AND only.
  void filters(const json& expr, const Scope& scope)
  {
    const auto [type, body] = node_of(expr);
    if (type == "BoolExpr") {
      if (body->value("boolop", "") == "AND_EXPR") {
        for (const auto& arg : body->value("args", json::array())) {
          filters(arg, scope);
        }
      }
      return;
    }
    if (type != "A_Expr") {
      return;
    }
    const auto kind = body->value("kind", "");
    const auto& names = body->value("name", json::array());
    const auto op = names.empty() ? std::string() : string_of(names.back());
    const auto& left = body->value("lexpr", json());
    const auto& right = body->value("rexpr", json());
    static const std::set<std::string> range_ops = {"<", "<=", ">", ">="};
    if ((kind == "AEXPR_OP" || kind == "AEXPR_OP_ANY") && (op == "=" || range_ops.count(op))) {
      const auto use = op == "=" ? ColumnUse::equality : ColumnUse::range;
      if (const auto* col = plain_column(left)) {
        compare(*col, right, use, scope);
      } else if (const auto* rcol = plain_column(right); rcol && kind == "AEXPR_OP") {
        compare(*rcol, left, use, scope);
      }
    } else if (kind == "AEXPR_IN" && op == "=") {
      if (const auto* col = plain_column(left); col && !mentions_column(right)) {
        column_ref(*col, &scope, ColumnUse::equality, result.filters);
      }
    } else if (kind == "AEXPR_BETWEEN" || kind == "AEXPR_BETWEEN_SYM") {
      if (const auto* col = plain_column(left); col && !mentions_column(right)) {
        column_ref(*col, &scope, ColumnUse::range, result.filters);
      }
    }
  }
};

} // namespace

ParsedStatement
parse_statement(std::string_view sql)
{
  const std::string text(sql);
  PgQueryParseResult parsed = pg_query_parse(text.c_str());
  if (parsed.error) {
    const auto message = fmt::format("cannot parse the statement: {} at character {}",
                                     parsed.error->message, parsed.error->cursorpos);
    pg_query_free_parse_result(parsed);
    throw util::Error(message);
  }
  const auto tree = json::parse(parsed.parse_tree, nullptr, false);
  pg_query_free_parse_result(parsed);
  if (tree.is_discarded()) {
    throw util::Error("cannot parse the statement: the parser returned invalid JSON");
  }
  Walker walker;
  for (const auto& stmt : tree.value("stmts", json::array())) {
    walker.result.kinds.push_back(node_of(stmt.value("stmt", json())).first);
    walker.statement(stmt.value("stmt", json()), nullptr);
  }
  return std::move(walker.result);
}

void
ColumnCatalog::add(const TableName& table, std::vector<std::string> columns)
{
  m_columns[table] = std::move(columns);
  m_schemas_of.emplace(table.name, table.schema);
}

std::optional<TableName>
ColumnCatalog::resolve_table(const TableName& table) const
{
  if (!table.schema.empty()) {
    return m_columns.count(table) ? std::optional(table) : std::nullopt;
  }
  if (m_columns.count(TableName{"public", table.name})) {
    return TableName{"public", table.name};
  }
  const auto [first, last] = m_schemas_of.equal_range(table.name);
  if (first != last && std::next(first) == last) {
    return TableName{first->second, table.name};
  }
  return std::nullopt;
}

std::optional<TableName>
ColumnCatalog::resolve(const ColumnRef& ref) const
{
  for (const auto& candidate : ref.tables) {
    const auto table = resolve_table(candidate);
    if (!table) {
      continue;
    }
    const auto& cols = m_columns.at(*table);
    if (ref.column == "*" || std::find(cols.begin(), cols.end(), ref.column) != cols.end()) {
      return table;
    }
  }
  return std::nullopt;
}

const std::vector<std::string>*
ColumnCatalog::columns(const TableName& table) const
{
  const auto it = m_columns.find(table);
  return it == m_columns.end() ? nullptr : &it->second;
}

} // namespace audit
