#pragma once

#include "audit/registry.hpp"
#include "model/audit_catalog.hpp"
#include "model/finding.hpp"
#include "pg/session.hpp"

#include <memory>
#include <vector>

namespace audit {

// The schema's catalog (the input queries/inputs/catalog.sql), read on `session` (one of the
// audit's, in its exported snapshot), its objects out of memory (model::AuditCatalog); its time
// goes to `timings`. Null, logged,
// when it cannot be read (a timeout, a missing input under --queries): the catalog only
// records the schema's history, so its failure must not cost the finished audit. Throws
// util::Fatal(connection) when the connection is lost.
std::shared_ptr<const model::AuditCatalog> read_catalog(const Registry& registry,
                                                        int server_major,
                                                        pg::Session& session,
                                                        std::vector<model::CheckTiming>& timings);

} // namespace audit
