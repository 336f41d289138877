// Tensor::to_string: PyTorch-style text. One width for every element, so columns line up.
#include "tensor/print.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace embedlab {

PrintOptions& print_options() {
  static PrintOptions options;
  return options;
}

namespace {

// How every float of one tensor is written: the same style for all, as PyTorch does.
enum class FloatStyle { Whole, Fixed, Scientific };

FloatStyle choose_style(std::span<const float> values) {
  bool all_whole = true;
  float max_abs = 0.0f, min_abs = INFINITY;
  for (float v : values) {
    if (!std::isfinite(v)) continue;
    all_whole = all_whole && v == std::trunc(v);
    max_abs = std::max(max_abs, std::fabs(v));
    if (v != 0.0f) min_abs = std::min(min_abs, std::fabs(v));
  }
  if (max_abs >= 1e8f) return FloatStyle::Scientific;
  if (all_whole) return FloatStyle::Whole;
  if (min_abs < 1e-4f || max_abs / min_abs > 1e3f * 1e3f) return FloatStyle::Scientific;
  return FloatStyle::Fixed;
}

std::string format_float(float v, FloatStyle style, int precision) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  switch (style) {
    case FloatStyle::Whole:
      return fmt::format("{:.0f}.", v);
    case FloatStyle::Scientific:
      return fmt::format("{:.{}e}", v, precision);
    default:
      return fmt::format("{:.{}f}", v, precision);
  }
}

// Indices to show along an axis of `size`: all, or the first and last `edge` with -1 for "...".
std::vector<int64_t> shown_indices(int64_t size, bool elide, int64_t edge) {
  std::vector<int64_t> indices;
  if (!elide || size <= 2 * edge) {
    for (int64_t i = 0; i < size; ++i)
      indices.push_back(i);
    return indices;
  }
  for (int64_t i = 0; i < edge; ++i)
    indices.push_back(i);
  indices.push_back(-1);
  for (int64_t i = size - edge; i < size; ++i)
    indices.push_back(i);
  return indices;
}

std::string element_text(const Tensor& t, int64_t flat, FloatStyle style, int precision) {
  if (t.dtype() == DType::Int64) return std::to_string(t.ids()[flat]);
  return format_float(t.data()[flat], style, precision);
}

std::string body_text(const Tensor& t) {
  const PrintOptions& options = print_options();
  const bool elide = t.numel() > options.threshold;
  FloatStyle style = t.dtype() == DType::Float32 ? choose_style(t.data()) : FloatStyle::Whole;
  const int64_t rows = t.shape().rows(), cols = t.shape().cols();
  auto row_indices = shown_indices(rows, elide, options.edge_items);
  auto col_indices = shown_indices(cols, elide, options.edge_items);

  // Phase 1: the text of every shown element, and the widest one.
  std::vector<std::vector<std::string>> cells;
  size_t width = 0;
  for (int64_t r : row_indices) {
    std::vector<std::string> line;
    for (int64_t c : col_indices) {
      line.push_back(r < 0 || c < 0 ? "..."
                                    : element_text(t, r * cols + c, style, options.precision));
      width = std::max(width, line.back().size());
    }
    cells.push_back(std::move(line));
  }
  if (t.rank() == 0) return cells[0][0];

  // Phase 2: right-align every element to that width, one matrix row per line.
  std::string text;
  for (size_t i = 0; i < cells.size(); ++i) {
    std::string line;
    for (size_t j = 0; j < cells[i].size(); ++j) {
      line += (j ? ", " : "") + std::string(width - cells[i][j].size(), ' ') + cells[i][j];
    }
    if (t.rank() == 1) return "[" + line + "]";
    text += (i ? ",\n        " : "") + ("[" + line + "]");
  }
  return "[" + text + "]";
}

}  // namespace

std::string Tensor::to_string() const {
  if (!defined()) return "tensor(undefined)";
  std::string text = "tensor(" + body_text(*this);
  if (numel() == 0) text = "tensor([], size=" + shape().to_string();
  if (dtype() != DType::Float32) text += ", dtype=" + std::string(dtype_name(dtype()));
  if (impl()->op) {
    text += fmt::format(", grad_fn=<{}>", impl()->op);
  } else if (requires_grad()) {
    text += ", requires_grad=true";
  }
  return text + ")";
}

std::ostream& operator<<(std::ostream& out, const Tensor& tensor) {
  return out << tensor.to_string();
}

}  // namespace embedlab
