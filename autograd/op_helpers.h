/// @file op_helpers.h
/// @brief Small helpers shared by the op files: dtype checks, element-wise loops and the
/// (outer, reduce, inner) layout of an op along one dim.
///
/// Internal to autograd/ (ops include it; user code does not need it). The loops are plain
/// templates so the compiler inlines the lambda and vectorises the loop.
#pragma once

#include <span>

#include <fmt/format.h>

#include "tensor/error.h"
#include "tensor/tensor.h"

namespace embedlab::detail {

/// Throws TypeError unless `t` is a defined float32 tensor; `op` and `what` name it.
inline void check_float(const Tensor& t, const char* op, const char* what = "input") {
  if (!t.defined()) throw ValueError(fmt::format("{}: {} is an undefined tensor", op, what));
  if (t.dtype() != DType::Float32) {
    throw TypeError(fmt::format("{}: {} must be float32, got int64 ids of shape {}", op, what,
                                t.shape().to_string()));
  }
}

/// Throws TypeError unless `t` is a defined int64 tensor of ids.
inline void check_ids(const Tensor& t, const char* op, const char* what = "ids") {
  if (!t.defined()) throw ValueError(fmt::format("{}: {} is an undefined tensor", op, what));
  if (t.dtype() != DType::Int64) {
    throw TypeError(fmt::format("{}: {} must be int64 ids, got float32 values of shape {}", op,
                                what, t.shape().to_string()));
  }
}

/// Returns a new tensor of x's shape with out[i] = f(x[i]).
template <typename F>
Tensor map_values(const Tensor& x, F f) {
  Tensor out = make_tensor(x.shape());
  const float* in = x.data().data();
  float* result = out.data().data();
  const int64_t n = x.numel();
  for (int64_t i = 0; i < n; ++i)
    result[i] = f(in[i]);
  return out;
}

/// Returns a new tensor of a's shape with out[i] = f(a[i], b[i]); a and b have equal shapes.
template <typename F>
Tensor zip_values(const Tensor& a, const Tensor& b, F f) {
  Tensor out = make_tensor(a.shape());
  const float* x = a.data().data();
  const float* y = b.data().data();
  float* result = out.data().data();
  const int64_t n = a.numel();
  for (int64_t i = 0; i < n; ++i)
    result[i] = f(x[i], y[i]);
  return out;
}

/// A tensor seen as (outer, reduce, inner) by an op along one dim (sum, max, softmax, norm):
/// element (o, r, i) sits at (o * reduce + r) * inner + i, and the result keeps (o, i). For a
/// matrix, dim 0 is (1, R, C) and dim 1 is (R, C, 1); a vector is (1, N, 1).
struct DimLayout {
  int64_t outer = 1;   ///< how many blocks come before the dim (R for a matrix along dim 1)
  int64_t reduce = 1;  ///< the size of the dim itself
  int64_t inner = 1;   ///< how many elements follow within a block (C for a matrix along dim 0)
  Shape out;           ///< the result's shape: the dim dropped, or kept with size 1 when keepdim
};

/// Returns the layout of `shape` along `dim` (negative counts from the end).
/// @throws IndexError naming `op`, the dim and the shape when the dim does not exist.
inline DimLayout dim_layout(const Shape& shape, int dim, bool keepdim, const char* op) {
  const int d = shape.normalize_dim(dim, op);
  DimLayout layout;
  layout.reduce = shape[d];
  if (shape.rank() == 2) {
    layout.outer = d == 0 ? 1 : shape[0];
    layout.inner = d == 0 ? shape[1] : 1;
    const int64_t kept = shape[1 - d];
    layout.out = keepdim ? (d == 0 ? Shape{1, kept} : Shape{kept, 1}) : Shape{kept};
  } else {
    layout.out = keepdim ? Shape{1} : Shape{};
  }
  return layout;
}

/// Returns the offset of element (o, r, i) in a tensor seen through `l`.
inline int64_t at_position(const DimLayout& l, int64_t o, int64_t r, int64_t i) {
  return (o * l.reduce + r) * l.inner + i;
}

}  // namespace embedlab::detail
