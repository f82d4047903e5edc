#include "report/json_writer.hpp"

namespace report {

void
write_json(const nlohmann::json& value, std::ostream& out, unsigned depth_indent)
{
  // The serializer dump() and operator<< use; operator<< alone cannot replace invalid UTF-8.
  nlohmann::detail::serializer<nlohmann::json> serializer(nlohmann::detail::output_adapter<char>(out), ' ',
                                                          nlohmann::json::error_handler_t::replace);
  serializer.dump(value, true, false, 2, depth_indent);
}

} // namespace report
