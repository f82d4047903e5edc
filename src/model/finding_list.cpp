#include "model/finding_list.hpp"

#include <utility>

namespace model {

FindingList::FindingList(std::vector<Finding> findings) : FindingList()
{
  m_heads.reserve(findings.size());
  for (auto& f : findings) {
    push_back(std::move(f));
  }
}

void
FindingList::push_back(Finding finding)
{
  m_spill->spill(finding);
  m_heads.push_back(std::move(static_cast<FindingHead&>(finding)));
}

void
FindingList::replace(std::size_t i, Finding finding)
{
  finding.spilled_at = -1;
  m_spill->spill(finding);
  m_heads.at(i) = std::move(static_cast<FindingHead&>(finding));
}

void
sort_by_priority(FindingList& findings)
{
  sort_by_priority(findings.heads());
}

} // namespace model
