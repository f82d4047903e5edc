#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>

namespace app {

// The --output of a command (stdout when absent or "-"), checked when the command starts, so
// that an audit never runs only to find it cannot deliver: the folder must exist and be
// writable and its device not full, a FIFO must have a reader (held open until the output is
// written), and the always-full device /dev/full is refused. Not copyable: it may hold the FIFO.
class Output
{
public:
  // Throws util::Fatal(usage) "cannot write PATH...; <what to do>".
  explicit Output(std::optional<std::filesystem::path> path);
  ~Output();
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  // Writes `produce`'s output: a regular file through a temporary file beside it, renamed over
  // it only when complete; a device or FIFO directly. Throws util::Fatal(usage) when it fails.
  void write(const std::function<void(std::ostream&)>& produce) const;

private:
  std::optional<std::filesystem::path> m_path;
  int m_fifo = -1; // the write end of a FIFO with a reader, held from the check to the write
};

} // namespace app
