#pragma once

#include <set>
#include <string>
#include <vector>

namespace test {

// A small SQL lexer for the hardening tests: enough of PostgreSQL's lexical rules ('...',
// E'...', "...", $tag$...$tag$, -- and /* */ comments) to split remediation into statements and
// to see which words of a statement are code rather than literals.

// `sql` split on the semicolons outside literals, identifiers and comments; each statement
// trimmed, empty ones dropped.
std::vector<std::string> split_statements(const std::string& sql);

// `sql` with literals replaced by '', quoted identifiers by "", comments by a space, and the
// rest lowercased: what is left is the statement's keywords, names and operators.
std::string code_only(const std::string& sql);

// The identifiers `sql` names: quoted identifiers as their exact text, unquoted words
// lowercased. Words inside literals and comments are not included, except in dollar-quoted
// bodies (a remediation's DO blocks), which are code.
std::set<std::string> identifiers(const std::string& sql);

} // namespace test
