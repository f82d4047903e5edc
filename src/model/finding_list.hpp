#pragma once

#include "model/finding.hpp"
#include "model/finding_spill.hpp"
#include "util/index_iterator.hpp"

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <vector>

namespace model {

// An audit's findings (#19): in memory, each one's FindingHead (128 bytes and its object's and
// fingerprint's texts); its words and evidence in the list's FindingSpill. At 10,000 schemas the
// 290,000 findings took 70 MB as Finding structs, their empty words included.
//
// Read as Finding values, each read back whole (operator[], iteration); the code that reads many
// findings' heads only (ordering, grouping, the outputs' entries, the history) reads heads().
// Copies of a list share its spill: what it holds is never changed, only added to.
class FindingList
{
public:
  using const_iterator = util::IndexIterator<FindingList, const Finding>;

  FindingList() : m_spill(std::make_shared<FindingSpill>()) {}
  FindingList(std::vector<Finding> findings); // NOLINT: a list of findings is a FindingList
  FindingList(std::initializer_list<Finding> findings) : FindingList(std::vector<Finding>(findings)) {}

  // Adds `finding`, its words and evidence moved to the spill unless they are there already
  // (spilled to this list's spill: its spilled_at is kept).
  void push_back(Finding finding);
  // Puts `finding` in place of the one at `i`, its words spilled again.
  void replace(std::size_t i, Finding finding);
  void reserve(std::size_t n) { m_heads.reserve(n); }

  std::size_t size() const { return m_heads.size(); }
  bool empty() const { return m_heads.empty(); }
  // A copy, const so that changing it is not mistaken for changing the list (replace() does).
  const Finding operator[](std::size_t i) const { return m_spill->whole(m_heads.at(i)); }
  const Finding at(std::size_t i) const { return (*this)[i]; }
  const Finding front() const { return (*this)[0]; }
  const Finding back() const { return (*this)[size() - 1]; }
  const_iterator begin() const { return const_iterator(this, 0); }
  const_iterator end() const { return const_iterator(this, size()); }

  // Every finding whole, in order: for a caller that keeps a small audit (the checks' tests).
  std::vector<Finding> whole() const { return {begin(), end()}; }

  // The heads, in order; a head changed in place keeps its words (they are found by spilled_at).
  std::vector<FindingHead>& heads() { return m_heads; }
  const std::vector<FindingHead>& heads() const { return m_heads; }

  // Where the findings' words and evidence are; it takes those of other findings of the audit
  // too (the suppressed ones, the pages of findings the checks set aside as they run).
  FindingSpill& spill() const { return *m_spill; }

private:
  std::vector<FindingHead> m_heads;
  std::shared_ptr<FindingSpill> m_spill;
};

// Removes the findings `remove` (a predicate on a FindingHead) is true of.
template<typename Remove>
void
erase_if(FindingList& findings, Remove remove)
{
  std::erase_if(findings.heads(), remove);
}

void sort_by_priority(FindingList& findings);

} // namespace model
