#pragma once

#include <stdexcept>
#include <string>

namespace util {

// Exit codes of the schema-audit binary, named by cause. They are part of the interface:
// README.md lists them and scheduled jobs branch on them.
enum class ExitCode : int {
  ok = 0,
  findings = 1,   // the audit ran and found something at or above --fail-on
  usage = 2,      // bad command line
  connection = 3, // cannot connect or authenticate to the target
  history = 4,    // history file unreadable, corrupt, newer, read-only or full
  report = 5,     // a template failed to parse or render
  config = 6,     // bad config file or --queries directory
  partial = 7,    // fleet audit: some targets failed, the others were stored
  incomplete = 8, // --fail-on: some checks failed to run (timeout, cancel, no privilege, error)
  out_of_memory = 9, // an allocation failed: the process's memory limit or the machine's
  internal = 70,  // a bug: please report it
};

// One check (or one step) failed; the caller reports it and goes on with the rest.
class Error : public std::runtime_error
{
public:
  using std::runtime_error::runtime_error;
};

// An error that carries a code (what the catcher branches on) beside its one-line message.
template<typename Code, typename Base = std::runtime_error>
class CodedError : public Base
{
public:
  CodedError(Code code, const std::string& message)
    : Base(message),
      m_code(code)
  {
  }

  Code code() const { return m_code; }

private:
  Code m_code;
};

// Stop the command: print the message once and exit with `code`.
class Fatal : public CodedError<ExitCode>
{
public:
  using CodedError::CodedError;
};

} // namespace util
