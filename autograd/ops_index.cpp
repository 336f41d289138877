// Picking elements by index: select (one row), slice (a range), index_select (rows or columns
// by id) and one_hot, each forward with its own backward right below. Each backward sends
// grad_out back to the positions the forward read; row picks of a matrix go through
// accumulate_grad_rows, so an optimiser then visits only those rows, as after an embedding.
// (The lookup the course is about, embedding, is ops_embedding.cpp.)
#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "autograd/backward.h"
#include "autograd/grad_rows.h"
#include "autograd/op_helpers.h"
#include "autograd/ops.h"

namespace embedlab {

Tensor select(const Tensor& x, int64_t index) {
  if (x.rank() == 0) throw ShapeError("select: a scalar has no rows or elements to select");
  const int64_t size = x.size(0);
  const int64_t i = index < 0 ? index + size : index;
  if (i < 0 || i >= size) {
    throw IndexError(fmt::format("select: index {} out of range for {} rows of shape {}", index,
                                 size, x.shape().to_string()));
  }
  // Row i of an (R, C) matrix is the C elements from i * C; element i of a vector is one.
  const int64_t width = x.rank() == 2 ? x.size(1) : 1;
  const Shape out_shape = x.rank() == 2 ? Shape{width} : Shape{};
  if (x.dtype() == DType::Int64) {
    std::span<const int64_t> ids = x.ids().subspan(i * width, width);
    return from_ids(std::vector<int64_t>(ids.begin(), ids.end()), out_shape);
  }
  std::span<const float> values = x.data().subspan(i * width, width);
  Tensor out = from_vector(std::vector<float>(values.begin(), values.end()), out_shape);
  if (any_requires_grad({&x})) record_op(out, "select", select_backward, {x}).saved.index = i;
  return out;
}

// grad_x[index] += grad_out   (a row of a matrix, or one element of a vector)
void select_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  const Tensor& x = node.input(0);
  const int64_t index = node.saved.index;
  if (x.rank() == 2) {
    accumulate_grad_rows(x, std::span<const int64_t>(&index, 1), grad_out.data());
    return;
  }
  Tensor grad = zeros(x.shape());
  grad.data()[index] = grad_out.item<float>();
  accumulate_grad(x, std::move(grad));
}

Tensor slice(const Tensor& x, int dim, int64_t start, int64_t end) {
  detail::check_float(x, "slice", "x");
  const int d = x.shape().normalize_dim(dim, "slice");
  const int64_t size = x.size(d);
  if (start < 0 || end > size || start > end) {
    throw IndexError(fmt::format("slice: range [{}, {}) does not fit dim {} of size {} (shape {})",
                                 start, end, d, size, x.shape().to_string()));
  }
  // Copy rows [start, end) (dim 0) or, from every row, columns [start, end) (dim 1).
  const int64_t rows = x.rank() == 2 ? x.size(0) : 1, cols = x.shape().cols();
  const int64_t row_begin = d == 0 && x.rank() == 2 ? start : 0;
  const int64_t row_end = d == 0 && x.rank() == 2 ? end : rows;
  const int64_t col_begin = d == 0 && x.rank() == 2 ? 0 : start;
  const int64_t col_end = d == 0 && x.rank() == 2 ? cols : end;
  std::vector<float> values;
  values.reserve(static_cast<size_t>((row_end - row_begin) * (col_end - col_begin)));
  for (int64_t r = row_begin; r < row_end; ++r) {
    const float* row = x.data().data() + r * cols;
    values.insert(values.end(), row + col_begin, row + col_end);
  }
  Shape out_shape =
      x.rank() == 1 ? Shape{end - start} : Shape{row_end - row_begin, col_end - col_begin};
  Tensor out = from_vector(std::move(values), out_shape);
  if (any_requires_grad({&x})) {
    Node& node = record_op(out, "slice", slice_backward, {x});
    node.saved.dim = d;
    node.saved.index = start;
  }
  return out;
}

// grad_x[start:end] (along dim) += grad_out; every other element gets 0
void slice_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  const Tensor& x = node.input(0);
  const int64_t start = node.saved.index;
  if (x.rank() == 2 && node.saved.dim == 0) {
    // Whole rows: row-sparse, like an embedding's gradient.
    std::vector<int64_t> rows(static_cast<size_t>(grad_out.size(0)));
    for (size_t k = 0; k < rows.size(); ++k)
      rows[k] = start + static_cast<int64_t>(k);
    accumulate_grad_rows(x, rows, grad_out.data());
    return;
  }
  const int64_t R = x.rank() == 2 ? x.size(0) : 1, C = x.shape().cols();
  const int64_t width = grad_out.shape().cols();
  Tensor grad = zeros(x.shape());
  for (int64_t r = 0; r < R; ++r) {
    for (int64_t c = 0; c < width; ++c)
      grad.data()[r * C + start + c] = grad_out.data()[r * width + c];
  }
  accumulate_grad(x, std::move(grad));
}

Tensor index_select(const Tensor& x, int dim, const Tensor& ids) {
  detail::check_float(x, "index_select", "x");
  detail::check_ids(ids, "index_select", "ids");
  if (ids.rank() != 1) {
    throw ShapeError(
        fmt::format("index_select: ids must be a vector, got shape {}", ids.shape().to_string()));
  }
  const int d = x.shape().normalize_dim(dim, "index_select");
  check_ids_in_range(ids.ids(), x.size(d), "index_select");
  // out[j] = x[ids[j]] for a vector; rows ids[j] (dim 0) or columns ids[j] (dim 1) of a matrix.
  std::span<const int64_t> picked = ids.ids();
  const int64_t N = ids.numel(), C = x.shape().cols();
  const float* in = x.data().data();
  Tensor out;
  if (x.rank() == 1) {
    out = make_tensor(Shape{N});
    for (int64_t j = 0; j < N; ++j)
      out.data()[j] = in[picked[j]];
  } else if (d == 0) {
    out = make_tensor(Shape{N, C});
    for (int64_t j = 0; j < N; ++j)
      std::copy_n(in + picked[j] * C, C, out.data().data() + j * C);
  } else {
    const int64_t R = x.size(0);
    out = make_tensor(Shape{R, N});
    for (int64_t r = 0; r < R; ++r) {
      for (int64_t j = 0; j < N; ++j)
        out.data()[r * N + j] = in[r * C + picked[j]];
    }
  }
  if (any_requires_grad({&x})) {
    Node& node = record_op(out, "index_select", index_select_backward, {x});
    node.saved.dim = d;
    node.saved.ids = ids;
  }
  return out;
}

// grad_x[ids[j]] += grad_out[j] along dim (an id picked twice gets both gradients)
void index_select_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  const Tensor& x = node.input(0);
  std::span<const int64_t> ids = node.saved.ids->ids();
  if (x.rank() == 2 && node.saved.dim == 0) {
    accumulate_grad_rows(x, ids, grad_out.data());  // row-sparse, like an embedding's
    return;
  }
  const int64_t R = x.rank() == 2 ? x.size(0) : 1, C = x.shape().cols();
  const auto N = static_cast<int64_t>(ids.size());
  Tensor grad = zeros(x.shape());
  for (int64_t r = 0; r < R; ++r) {
    for (int64_t j = 0; j < N; ++j)
      grad.data()[r * C + ids[j]] += grad_out.data()[r * N + j];
  }
  accumulate_grad(x, std::move(grad));
}

Tensor one_hot(const Tensor& ids, int64_t num_classes) {
  detail::check_ids(ids, "one_hot", "ids");
  if (num_classes == 0 || num_classes < -1) {
    throw ValueError(fmt::format(
        "one_hot: num_classes must be positive, got {} (or -1 to infer it from the ids)",
        num_classes));
  }
  if (ids.rank() == 2) {
    throw ShapeError(
        fmt::format("one_hot: ids of shape {} would need rank 3", ids.shape().to_string()));
  }
  std::span<const int64_t> classes = ids.ids();
  // A negative id is reported first: with num_classes -1 it would otherwise pass as "below
  // the inferred range" only by accident of the maximum.
  for (size_t i = 0; i < classes.size(); ++i) {
    if (classes[i] < 0) {
      throw IndexError(fmt::format(
          "one_hot: id {} at position {} is negative; class ids must be >= 0", classes[i], i));
    }
  }
  if (num_classes == -1) {
    if (classes.empty()) {
      throw ValueError(
          "one_hot: cannot infer the number of classes from an empty tensor; pass num_classes");
    }
    num_classes = *std::max_element(classes.begin(), classes.end()) + 1;  // as PyTorch
  }
  check_ids_in_range(classes, num_classes, "one_hot");
  const int64_t N = ids.numel();
  Tensor out = zeros(ids.rank() == 0 ? Shape{num_classes} : Shape{N, num_classes});
  for (int64_t i = 0; i < N; ++i)
    out.data()[i * num_classes + classes[i]] = 1.0f;
  return out;
}

}  // namespace embedlab
