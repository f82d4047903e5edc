#pragma once

#include "store/history_store.hpp"

#include <cstddef>

namespace store {

// What import_snapshots() did.
struct ImportCount
{
  std::size_t imported = 0;
  std::size_t already_there = 0; // same database name and time: imported before
};

// Copies every snapshot of `from` (a recovery file written when a history could not take an
// audit) into `into`, each in one transaction of its own, oldest first. A snapshot `into` already
// holds (same database name, same time) is left out, so importing twice stores nothing twice.
// What the history keeps of a snapshot is carried over whole (findings, skipped checks,
// metrics); check timings are not stored by histories, so they are not either.
ImportCount import_snapshots(const model::HistoryStore& from, model::HistoryStore& into);

} // namespace store
