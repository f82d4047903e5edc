#pragma once

#include "report/diff.hpp"
#include "report/fields.hpp"
#include "report/model.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <set>

namespace report {

// Renders `report` as `format` (html, markdown or json) to `out`. HTML and Markdown come from
// report.<ext>.mustache, taken from `templates_dir` when it has the file, else the embedded
// one; HTML gets each chart as inline SVG. Every value is escaped for its output. Throws
// util::Fatal(report) naming the template file and line when the template does not parse or
// names something the report type does not have.
void render(const Report& report,
            Format format,
            const std::optional<std::filesystem::path>& templates_dir,
            std::ostream& out);

// Renders `diff`: text, markdown (diff.md.mustache) or json.
void render_diff(const Diff& diff,
                 Format format,
                 const std::optional<std::filesystem::path>& templates_dir,
                 std::ostream& out);

// Escapes `text` for a Markdown table cell or paragraph: no markup, no raw HTML, one line.
std::string markdown_escape(const std::string& text);

// Checks that every name `template_text` uses resolves against `shape` (type_shape of the type
// it renders) in its section context, as mustache resolves names. The template is read by the
// mustache engine's own parser, the one that renders it. Throws util::Fatal(report)
// "SOURCE:LINE: unknown name 'x'" (or the syntax error). Returns the fields the template uses,
// as paths from the shape's root ("databases.snapshots.findings"; a list's element adds no
// part): the fields rendering converts, as no other can be rendered.
std::set<std::string> validate_template(const std::string& source,
                                        const std::string& template_text,
                                        const nlohmann::json& shape);

} // namespace report
