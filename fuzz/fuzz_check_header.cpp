// libFuzzer target: the query-file parser (metadata header + SQL) that reads --queries files,
// and the file-name parser. Bad input must end in util::Fatal(config), nothing else.
#include "model/check.hpp"
#include "util/error.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)model::split_query_file_name(text.substr(0, text.find('\n')));
  try {
    const auto def = model::parse_check("fuzz.sql", text);
    (void)def.sql_for(16);
  } catch (const util::Fatal& e) {
    if (e.code() != util::ExitCode::config) {
      __builtin_trap();
    }
  }
  return 0;
}
