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

// Reads up to `size` bytes at `offset` of `fd` into `out`: all of them, or fewer at the file's end.
std::size_t
read_at(int fd, std::int64_t offset, std::size_t size, char* out)
{
  std::size_t done = 0;
  while (done < size) {
    const auto n = ::pread(fd, out + done, size - done, static_cast<off_t>(offset + static_cast<std::int64_t>(done)));
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      throw util::Error(fmt::format("cannot read the findings' fields back from their temporary file: {}",
                                    std::strerror(errno)));
    }
    if (n == 0) {
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  return done;
}

// Appends the record of `finding`'s spilled fields to `buffer`.
void
append_record(std::string& buffer, const Finding& finding)
{
  const auto start = buffer.size();
  append_length(buffer, 0); // the record's length, set below
  for (const auto& field : k_finding_fields) {
    if (is_spilled(field)) {
      const auto value = stored_value(finding, field);
      append_length(buffer, value.size());
      buffer += value;
    }
  }
  const auto body = static_cast<Length>(buffer.size() - start - sizeof(Length));
  std::memcpy(buffer.data() + start, &body, sizeof body);
}

// Most records are 1-2 KB: read with their length in one call, a second one for a longer record.
constexpr std::size_t k_first_read = 4096;

// Flushed when a batch of records reaches this size.
constexpr std::size_t k_batch_bytes = std::size_t{1} << 20;

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

std::optional<std::size_t>
spilled_position(const FindingField& field)
{
  std::size_t position = 0;
  for (const auto& f : k_finding_fields) {
    if (&f == &field) {
      return is_spilled(f) ? std::optional<std::size_t>(position) : std::nullopt;
    }
    position += is_spilled(f) ? 1 : 0;
  }
  return std::nullopt;
}

FindingSpill::~FindingSpill()
{
  if (m_fd >= 0) {
    ::close(m_fd);
  }
}

std::int64_t
FindingSpill::append(const std::string& bytes)
{
  std::lock_guard lock(m_mutex);
  if (m_unusable) {
    return -1;
  }
  if (m_fd < 0) {
    std::string why;
    m_fd = open_anonymous_file(why);
    if (m_fd < 0) {
      m_unusable = true;
      util::log(util::LogLevel::info, "the findings' words and evidence stay in memory: no temporary file ({})", why);
      return -1;
    }
  }
  std::size_t done = 0;
  while (done < bytes.size()) {
    const auto n = ::pwrite(m_fd, bytes.data() + done, bytes.size() - done,
                            static_cast<off_t>(m_end + static_cast<std::int64_t>(done)));
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      // A full disk: these findings and the later ones keep their fields; the ones written stay.
      m_unusable = true;
      util::log(util::LogLevel::info,
                "the findings' words and evidence stay in memory from here: the temporary file is full ({})",
                std::strerror(errno));
      return -1;
    }
    done += static_cast<std::size_t>(n);
  }
  const auto at = m_end;
  m_end += static_cast<std::int64_t>(bytes.size());
  return at;
}

void
FindingSpill::spill(std::span<Finding> findings)
{
  std::string buffer;
  std::vector<std::pair<Finding*, std::size_t>> batch; // each finding and where its record starts in buffer
  const auto flush = [&] {
    if (const auto at = batch.empty() ? -1 : append(buffer); at >= 0) {
      for (auto& [finding, offset] : batch) {
        finding->spilled_at = at + static_cast<std::int64_t>(offset);
        for (const auto& field : k_finding_fields) {
          if (is_spilled(field)) {
            clear(*finding, field);
          }
        }
      }
    }
    buffer.clear();
    batch.clear();
  };
  for (auto& finding : findings) {
    if (finding.spilled_at >= 0) {
      continue;
    }
    batch.emplace_back(&finding, buffer.size());
    append_record(buffer, finding);
    if (buffer.size() >= k_batch_bytes) {
      flush();
    }
  }
  flush();
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
  const auto values = stored_values(finding);
  if (values.empty()) {
    return;
  }
  for (const auto& field : k_finding_fields) {
    if (const auto position = spilled_position(field)) {
      set_stored_value(finding, field, values.at(*position));
    }
  }
  finding.spilled_at = -1;
}

std::vector<std::string>
FindingSpill::stored_values(const Finding& finding) const
{
  if (finding.spilled_at < 0) {
    return {};
  }
  if (m_fd < 0) {
    throw util::Error("a finding's fields are in a temporary file this audit did not write");
  }
  // Written before spilled_at was set, under the lock: a reader that sees spilled_at sees the bytes.
  std::string record(k_first_read, '\0');
  const auto got = read_at(m_fd, finding.spilled_at, record.size(), record.data());
  if (got < sizeof(Length)) {
    throw util::Error("cannot read the findings' fields back from their temporary file: it is shorter than written");
  }
  const auto size = sizeof(Length) + length_at(record.data());
  if (size > got) {
    record.resize(size);
    if (read_at(m_fd, finding.spilled_at + static_cast<std::int64_t>(got), size - got, record.data() + got) != size - got) {
      throw util::Error("cannot read the findings' fields back from their temporary file: it is shorter than written");
    }
  }
  std::vector<std::string> values;
  std::size_t at = sizeof(Length);
  for (const auto& field : k_finding_fields) {
    if (is_spilled(field)) {
      const auto length = length_at(record.data() + at);
      at += sizeof(Length);
      values.emplace_back(record, at, length);
      at += length;
    }
  }
  return values;
}

std::int64_t
FindingSpill::bytes() const
{
  std::lock_guard lock(m_mutex);
  return m_end;
}

} // namespace model
