#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <unordered_set>

namespace report {

enum class Format { html, markdown, json, text };

// Renders the report `model` (build_model) as `format` (html, markdown or json) to `out`. HTML
// and Markdown come from report.<ext>.mustache, taken from `templates_dir` when it has the
// file, else the embedded one; HTML gets each chart of the model as inline SVG. Every value is
// escaped for its output. Throws util::Fatal(report) naming the template file and line when
// the template does not parse or names something the model does not have.
void render(const nlohmann::json& model,
            Format format,
            const std::optional<std::filesystem::path>& templates_dir,
            std::ostream& out);

// Renders the `diff` model (build_diff): text, markdown (diff.md.mustache) or json.
void render_diff(const nlohmann::json& diff,
                 Format format,
                 const std::optional<std::filesystem::path>& templates_dir,
                 std::ostream& out);

// Escapes `text` for a Markdown table cell or paragraph: no markup, no raw HTML, one line.
std::string markdown_escape(const std::string& text);

// Checks that every name `template_text` uses resolves against `shape` (a model whose arrays
// hold at least one element each) in its section context, as mustache resolves names. Throws
// util::Fatal(report) "SOURCE:LINE: unknown name 'x'". Returns every name the template uses
// (each part of a dotted name): keys outside it can never be rendered.
std::unordered_set<std::string> validate_template(const std::string& source,
                                                  const std::string& template_text,
                                                  const nlohmann::json& shape);

// The union of the keys of `model`: objects merge, each array keeps one element merging all of
// its elements. What validate_template() checks names against.
nlohmann::json shape_of(const nlohmann::json& model);

} // namespace report
