// libFuzzer target: the TOML config loader (--config, ./schema-audit.toml) on arbitrary bytes.
// Bad input must end in util::Fatal(config), nothing else.
#include "audit/config.hpp"
#include "util/error.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto config = audit::parse_config(text, "fuzz.toml");
    // Globs from the config meet object names here.
    for (const auto* name : {"public", "app.orders", ""}) {
      (void)config.includes(name, name);
    }
  } catch (const util::Fatal& e) {
    if (e.code() != util::ExitCode::config) {
      __builtin_trap();
    }
  }
  return 0;
}
