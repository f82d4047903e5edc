#include "model/target.hpp"

#include <fmt/format.h>

namespace model {

std::string
Target::display() const
{
  const bool socket = !host.empty() && host.front() == '/';
  return fmt::format("database \"{}\" on {}{}", dbname, socket ? "socket " : "",
                     host.empty() ? "localhost" : host)
         + (port.empty() ? "" : ":" + port);
}

} // namespace model
