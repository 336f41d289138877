/// @file svg_check.h
/// @brief Small text checks on SVG documents for the viz tests: balanced tags, counting,
/// reading the points of a polyline and the centres of circles.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace embedlab::viz::testing {

/// Returns how many times `needle` occurs in `text`.
inline std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

/// Returns true when every opened tag is closed in order and no stray '<' or '>' remains.
/// Since text and attributes are escaped, every '<' in the document starts a tag.
inline bool tags_balanced(const std::string& svg) {
  std::vector<std::string> open;
  std::size_t at = 0;
  while ((at = svg.find('<', at)) != std::string::npos) {
    const std::size_t end = svg.find('>', at);
    if (end == std::string::npos) return false;
    const std::string tag = svg.substr(at + 1, end - at - 1);
    if (tag.find('<') != std::string::npos) return false;
    const bool closing = !tag.empty() && tag[0] == '/';
    const bool self_closing = !tag.empty() && tag.back() == '/';
    std::string name = tag.substr(closing ? 1 : 0);
    name = name.substr(0, name.find_first_of(" /\n"));
    if (closing) {
      if (open.empty() || open.back() != name) return false;
      open.pop_back();
    } else if (!self_closing) {
      open.push_back(name);
    }
    at = end + 1;
  }
  return open.empty();
}

/// Returns the value of attribute `name` in the first element that starts at or after `from`.
inline std::string attribute(const std::string& svg, const std::string& name, std::size_t from) {
  const std::size_t at = svg.find(" " + name + "=\"", from);
  if (at == std::string::npos) return "";
  const std::size_t start = at + name.size() + 3;
  return svg.substr(start, svg.find('"', start) - start);
}

/// Returns the points of every <polyline>, in document order, as (x, y) pixel pairs.
inline std::vector<std::vector<std::pair<double, double>>> polylines(const std::string& svg) {
  std::vector<std::vector<std::pair<double, double>>> lines;
  for (std::size_t at = svg.find("<polyline"); at != std::string::npos;
       at = svg.find("<polyline", at + 1)) {
    const std::string points = attribute(svg, "points", at);
    std::vector<std::pair<double, double>> line;
    std::size_t pos = 0;
    while (pos < points.size()) {
      std::size_t next = points.find(' ', pos);
      if (next == std::string::npos) next = points.size();
      const std::string pair = points.substr(pos, next - pos);
      const std::size_t comma = pair.find(',');
      line.emplace_back(std::stod(pair.substr(0, comma)), std::stod(pair.substr(comma + 1)));
      pos = next + 1;
    }
    lines.push_back(line);
  }
  return lines;
}

/// Returns the centres of every <circle> after `from`, in document order.
inline std::vector<std::pair<double, double>> circles(const std::string& svg,
                                                      std::size_t from = 0) {
  std::vector<std::pair<double, double>> centres;
  for (std::size_t at = svg.find("<circle", from); at != std::string::npos;
       at = svg.find("<circle", at + 1)) {
    centres.emplace_back(std::stod(attribute(svg, "cx", at)), std::stod(attribute(svg, "cy", at)));
  }
  return centres;
}

}  // namespace embedlab::viz::testing
