#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>

namespace report {

enum class Format { html, markdown, json };

// Renders `model` as `format` to `out`. HTML and Markdown come from report.<ext>.mustache,
// taken from `templates_dir` when it has the file, else the embedded one. Every value is
// escaped for its output. Throws util::Fatal(report) naming the template file and line.
void render(const nlohmann::json& model,
            Format format,
            const std::optional<std::filesystem::path>& templates_dir,
            std::ostream& out);

// Escapes `text` for a Markdown table cell or paragraph: no markup, no raw HTML, one line.
std::string markdown_escape(const std::string& text);

} // namespace report
