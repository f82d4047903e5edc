#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace audit {

// SQL written once for several query files: queries/lib/<name>.sql (and lib/ under --queries,
// which overrides a fragment of the same name). A query includes one with a line of its body
// that reads "-- include: <name>" and nothing else; the registry puts the fragment's text in its
// place before the file is parsed, so a fragment may use the params ($n) and the aliases of the
// queries that include it, and those must agree. A fragment may include others (not itself,
// directly or through another).
class QueryFragments
{
public:
  // Adds (or replaces) fragment `name`, read from `source` (named in errors).
  void add(std::string name, std::string text, std::string source);

  // `text` (the query file `source`) with each include line replaced by its fragment, expanded
  // in turn. Throws util::Fatal(config) "source:line: no fragment ..." for a name that is not
  // there, and "... includes itself ..." for a cycle.
  std::string expand(std::string_view source, std::string_view text) const;

private:
  struct Fragment
  {
    std::string text;
    std::string source;
  };

  void expand_into(std::string& out,
                   std::string_view source,
                   std::string_view text,
                   std::vector<std::string_view>& open) const;

  std::map<std::string, Fragment, std::less<>> m_fragments; // name -> its text and file
};

} // namespace audit
