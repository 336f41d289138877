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

// PyTorch's rule, applied to the finite non-zero magnitudes of the shown elements: whole
// numbers print as "3.", and either kind switches to scientific when the values span more than
// 1000x or exceed 1e8 (fractions also when one is below 1e-4).
FloatStyle choose_style(std::span<const float> values) {
  bool all_whole = true;
  float max_abs = 0.0f, min_abs = INFINITY;
  for (float v : values) {
    if (!std::isfinite(v) || v == 0.0f) continue;
    all_whole = all_whole && v == std::trunc(v);
    max_abs = std::max(max_abs, std::fabs(v));
    min_abs = std::min(min_abs, std::fabs(v));
  }
  if (max_abs == 0.0f) return FloatStyle::Whole;  // only zeros, NaN and Inf
  const bool wide = max_abs / min_abs > 1e3f || max_abs > 1e8f;
  if (all_whole) return wide ? FloatStyle::Scientific : FloatStyle::Whole;
  return wide || min_abs < 1e-4f ? FloatStyle::Scientific : FloatStyle::Fixed;
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

// Indices to show along a dim of `size`: all, or the first and last `edge` with -1 for "...".
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

// The shown elements (all, or the corners of an elided tensor), as PyTorch's summarized data.
std::vector<float> shown_values(const Tensor& t, const std::vector<int64_t>& row_indices,
                                const std::vector<int64_t>& col_indices) {
  std::vector<float> values;
  if (t.dtype() != DType::Float32) return values;
  for (int64_t r : row_indices) {
    for (int64_t c : col_indices) {
      if (r >= 0 && c >= 0) values.push_back(t.data()[r * t.shape().cols() + c]);
    }
  }
  return values;
}

// Phase 2 of printing: right-aligns every element to `width`, one matrix row per line; an
// elided column prints " ..." and an elided row "...", as PyTorch does.
std::string join_cells(const std::vector<std::vector<std::string>>& cells,
                       const std::vector<int64_t>& row_indices, size_t width, int rank) {
  std::string text;
  for (size_t i = 0; i < cells.size(); ++i) {
    std::string line;
    for (size_t j = 0; j < cells[i].size(); ++j) {
      const std::string& cell = cells[i][j];
      const size_t pad = cell.empty() || cell.size() >= width ? 0 : width - cell.size();
      line += (j ? ", " : "") + std::string(pad, ' ') + (cell.empty() ? " ..." : cell);
    }
    if (rank == 1) return "[" + line + "]";
    text += (i ? ",\n        " : "") + (row_indices[i] < 0 ? "..." : "[" + line + "]");
  }
  return "[" + text + "]";
}

std::string body_text(const Tensor& t) {
  const PrintOptions& options = print_options();
  const bool elide = t.numel() > options.threshold;
  const int64_t cols = t.shape().cols();
  auto row_indices = shown_indices(t.shape().rows(), elide, options.edge_items);
  auto col_indices = shown_indices(cols, elide, options.edge_items);
  const FloatStyle style = choose_style(shown_values(t, row_indices, col_indices));

  // Phase 1: the text of every shown element, and the widest finite one ("nan" and "inf" do
  // not widen the columns, as in PyTorch). An empty string marks an elided column.
  std::vector<std::vector<std::string>> cells(row_indices.size());
  size_t width = 0;
  for (size_t i = 0; i < row_indices.size(); ++i) {
    const int64_t r = row_indices[i];
    for (int64_t c : col_indices) {
      if (r < 0 || c < 0) {
        cells[i].emplace_back();
        continue;
      }
      cells[i].push_back(element_text(t, r * cols + c, style, options.precision));
      const bool finite = t.dtype() == DType::Int64 || std::isfinite(t.data()[r * cols + c]);
      if (finite) width = std::max(width, cells[i].back().size());
    }
  }
  if (t.rank() == 0) return cells[0][0];
  return join_cells(cells, row_indices, width, t.rank());
}

}  // namespace

std::string Tensor::to_string() const {
  if (!defined()) return "tensor(undefined)";
  std::string text = "tensor(" + body_text(*this);
  if (numel() == 0) text = rank() == 1 ? "tensor([]" : "tensor([], size=" + shape().to_string();
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
