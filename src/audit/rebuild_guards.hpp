#pragma once

#include <string>
#include <string_view>

namespace audit {

// `undo` with a guard before each line that builds an index back,
// `create [unique] index concurrently if not exists NAME on SCHEMA.TABLE ...`: a build cancelled
// earlier (a lock_timeout, a statement_timeout, a cancelled backend) leaves an invalid index of
// that name, which "if not exists" would keep and the script would report as done (OpenFGA: the
// undo of an index drop, run again, printed a notice and left the index invalid). The guard
// drops such a leftover, and only an invalid one, so the build runs again. Other lines, and
// builds whose table is not schema-qualified, are left as they are.
std::string guard_index_rebuilds(std::string_view undo);

} // namespace audit
