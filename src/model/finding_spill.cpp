#include "model/finding_spill.hpp"

#include "util/error.hpp"
#include "util/log.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <type_traits>
#include <variant>

#include <stdlib.h>
#include <unistd.h>

namespace model {

namespace {

// A record is its length, then each spilled field's length and stored value (stored_value()), in
// k_finding_fields' order; lengths are 32-bit, in the machine's byte order (the file lives as long
// as the process).
using Length = std::uint32_t;

// Frees the memory of `field` in `finding`.
void
clear(Finding& finding, const FindingField& field)
{
  std::visit(
    [&](auto Finding::*member) {
      using Member = std::remove_reference_t<decltype(finding.*member)>;
      if constexpr (std::is_class_v<Member>) { // the enums take no memory of their own
        Member().swap(finding.*member);
      }
    },
    field.member);
}

void
append_length(std::string& record, std::size_t length)
{
  const auto value = static_cast<Length>(length);
  record.append(reinterpret_cast<const char*>(&value), sizeof value);
}

Length
length_at(const char* at)
{
  Length value = 0;
  std::memcpy(&value, at, sizeof value);
  return value;
}

// Reads `size` bytes at `offset` of `fd` into `out`.
void
read_at(int fd, std::int64_t offset, std::size_t size, char* out)
{
  std::size_t done = 0;
  while (done < size) {
    const auto n = ::pread(fd, out + done, size - done, static_cast<off_t>(offset + static_cast<std::int64_t>(done)));
    if (n <= 0) {
      if (n < 0 && errno == EINTR) {
        continue;
      }
      throw util::Error(fmt::format("cannot read the findings' fields back from their temporary file: {}",
                                    n == 0 ? "it is shorter than written" : std::strerror(errno)));
    }
    done += static_cast<std::size_t>(n);
  }
}

// A new file in the temporary folder, removed from it at once; -1 and `why` when there is none.
int
open_anonymous_file(std::string& why)
{
  std::error_code ec;
  const auto folder = std::filesystem::temp_directory_path(ec);
  if (ec) {
    why = ec.message();
    return -1;
  }
  auto path = (folder / "schema-audit-findings-XXXXXX").string();
  const int fd = ::mkstemp(path.data());
  if (fd < 0) {
    why = fmt::format("{}: {}", path, std::strerror(errno));
    return -1;
  }
  ::unlink(path.c_str());
  return fd;
}

} // namespace

bool
is_spilled(const FindingField& field)
{
  return field.home == FieldHome::text || field.name == "evidence";
}

FindingSpill::~FindingSpill()
{
  if (m_fd >= 0) {
    ::close(m_fd);
  }
}

void
FindingSpill::spill(Finding& finding)
{
  if (finding.spilled_at >= 0) {
    return;
  }
  std::string record;
  append_length(record, 0); // the record's length, set below
  for (const auto& field : k_finding_fields) {
    if (is_spilled(field)) {
      const auto value = stored_value(finding, field);
      append_length(record, value.size());
      record += value;
    }
  }
  const auto body = static_cast<Length>(record.size() - sizeof(Length));
  std::memcpy(record.data(), &body, sizeof body);

  std::lock_guard lock(m_mutex);
  if (m_unusable) {
    return;
  }
  if (m_fd < 0) {
    std::string why;
    m_fd = open_anonymous_file(why);
    if (m_fd < 0) {
      m_unusable = true;
      util::log(util::LogLevel::info, "the findings' words and evidence stay in memory: no temporary file ({})", why);
      return;
    }
  }
  std::size_t done = 0;
  while (done < record.size()) {
    const auto n = ::pwrite(m_fd, record.data() + done, record.size() - done,
                            static_cast<off_t>(m_end + static_cast<std::int64_t>(done)));
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      // A full disk: this finding and the later ones keep their fields; the ones written stay.
      m_unusable = true;
      util::log(util::LogLevel::info, "the findings' words and evidence stay in memory from here: the temporary file is full ({})",
                std::strerror(errno));
      return;
    }
    done += static_cast<std::size_t>(n);
  }
  finding.spilled_at = m_end;
  m_end += static_cast<std::int64_t>(record.size());
  for (const auto& field : k_finding_fields) {
    if (is_spilled(field)) {
      clear(finding, field);
    }
  }
}

Finding
FindingSpill::whole(const Finding& finding) const
{
  Finding out = finding;
  restore(out);
  return out;
}

void
FindingSpill::restore(Finding& finding) const
{
  if (finding.spilled_at < 0) {
    return;
  }
  if (m_fd < 0) {
    throw util::Error("a finding's fields are in a temporary file this audit did not write");
  }
  // Written before spilled_at was set, under the lock: a reader that sees spilled_at sees the bytes.
  const int fd = m_fd;
  char head[sizeof(Length)];
  read_at(fd, finding.spilled_at, sizeof head, head);
  std::string record(length_at(head), '\0');
  read_at(fd, finding.spilled_at + static_cast<std::int64_t>(sizeof head), record.size(), record.data());
  std::size_t at = 0;
  for (const auto& field : k_finding_fields) {
    if (is_spilled(field)) {
      const auto length = length_at(record.data() + at);
      at += sizeof(Length);
      set_stored_value(finding, field, std::string_view(record).substr(at, length));
      at += length;
    }
  }
  finding.spilled_at = -1;
}

std::int64_t
FindingSpill::bytes() const
{
  std::lock_guard lock(m_mutex);
  return m_end;
}

} // namespace model
