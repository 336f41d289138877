/// @file print.h
/// @brief Printing tensors: `fmt::format("{}", t)`, `std::cout << t` and `t.to_string()`.
///
/// The text follows PyTorch's repr, so what learners see matches what they know:
/// @code
/// tensor([[1.0000, 2.5000],
///         [3.0000, 4.0000]], requires_grad=true)
/// tensor([3, 1, 4], dtype=int64)
/// tensor(7.5000, grad_fn=<sum>)
/// @endcode
/// Tensors with more than 1000 elements show their first and last three rows and columns.
#pragma once

#include <ostream>
#include <string_view>

#include <fmt/format.h>

#include "tensor/tensor.h"

namespace embedlab {

/// Options for how tensors print.
struct PrintOptions {
  int precision = 4;         ///< digits after the decimal point
  int64_t threshold = 1000;  ///< tensors with more elements than this are elided
  int64_t edge_items = 3;    ///< rows and columns shown at each end when elided
};

/// Returns the options every print uses (change them to print more digits).
PrintOptions& print_options();

/// Writes `tensor.to_string()` to a stream.
std::ostream& operator<<(std::ostream& out, const Tensor& tensor);

}  // namespace embedlab

/// @cond INTERNAL
// Lets fmt print tensors with `{}`, exactly as `Tensor::to_string()` does.
template <>
struct fmt::formatter<embedlab::Tensor> : fmt::formatter<std::string_view> {
  /// Formats the tensor's PyTorch-style text.
  template <typename FormatContext>
  auto format(const embedlab::Tensor& tensor, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format(tensor.to_string(), ctx);
  }
};
/// @endcond
