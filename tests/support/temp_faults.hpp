#pragma once

// Real faults of the temporary folder for the spill files' tests (util::SpillFile): no usable
// TMPDIR, and a file that cannot grow as on a full disk.

#include <csignal>
#include <cstdlib>
#include <optional>
#include <string>

#include <sys/resource.h>

namespace test {

// Sets an environment variable for the scope of a test, then puts the old value back.
class ScopedEnv
{
public:
  ScopedEnv(const char* name, const char* value)
    : m_name(name)
  {
    if (const char* old = std::getenv(name)) {
      m_old = old;
    }
    ::setenv(name, value, 1);
  }
  ~ScopedEnv()
  {
    if (m_old) {
      ::setenv(m_name, m_old->c_str(), 1);
    } else {
      ::unsetenv(m_name);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
  const char* m_name;
  std::optional<std::string> m_old;
};

// Limits the files this process writes to `bytes` for the scope of a test: the kernel's file
// size limit (RLIMIT_FSIZE) stops the writes as a full disk would. SIGXFSZ, which it sends, is
// ignored so that the write fails with EFBIG instead.
class FileSizeLimit
{
public:
  explicit FileSizeLimit(rlim_t bytes)
  {
    ::getrlimit(RLIMIT_FSIZE, &m_old);
    m_old_handler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit small = m_old;
    small.rlim_cur = bytes;
    m_set = ::setrlimit(RLIMIT_FSIZE, &small) == 0;
  }
  ~FileSizeLimit()
  {
    ::setrlimit(RLIMIT_FSIZE, &m_old);
    std::signal(SIGXFSZ, m_old_handler);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

  bool set() const { return m_set; }

private:
  rlimit m_old{};
  void (*m_old_handler)(int) = SIG_DFL;
  bool m_set = false;
};

} // namespace test
