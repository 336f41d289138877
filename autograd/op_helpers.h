/// @file op_helpers.h
/// @brief Small helpers shared by the op files: dtype checks and element-wise loops.
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

/// Returns true when input `i` of `node` wants a gradient.
inline bool wants_grad(const Tensor& input) {
  return input.requires_grad();
}

}  // namespace embedlab::detail
