// Gradient clipping by total norm and by value, over the gradient rows that may be non-zero.
#include "optim/clip.h"

#include <cmath>

#include <fmt/format.h>

#include "autograd/grad_rows.h"
#include "tensor/error.h"

namespace embedlab::optim {

namespace {

// Calls `visit(element)` on every element of every gradient row of `params` that may be
// non-zero; parameters without a gradient are skipped.
template <typename Visit>
void for_each_grad_element(const std::vector<Tensor>& params, Visit visit) {
  for (const Tensor& param : params) {
    if (!param.defined()) continue;
    const int64_t D = param.shape().cols();
    for_each_grad_row(param, [&](int64_t, float* grad) {
      for (int64_t c = 0; c < D; ++c)
        visit(grad[c]);
    });
  }
}

}  // namespace

double total_grad_norm(const std::vector<Tensor>& params, double norm_type) {
  if (!(norm_type > 0.0)) {
    throw ValueError(
        fmt::format("total_grad_norm: norm_type = {} must be > 0 (or infinity)", norm_type));
  }
  // Accumulated in double: a large embedding table sums millions of squares.
  double total = 0.0;
  if (std::isinf(norm_type)) {
    for_each_grad_element(params, [&](float& g) {
      const double a = std::fabs(static_cast<double>(g));
      if (a > total || std::isnan(a)) total = a;
    });
    return total;
  }
  const bool two = norm_type == 2.0;
  for_each_grad_element(params, [&](float& g) {
    const double a = std::fabs(static_cast<double>(g));
    total += two ? a * a : std::pow(a, norm_type);
  });
  return two ? std::sqrt(total) : std::pow(total, 1.0 / norm_type);
}

double clip_grad_norm_(const std::vector<Tensor>& params, double max_norm, double norm_type,
                       bool error_if_nonfinite) {
  if (!(max_norm >= 0.0)) {
    throw ValueError(fmt::format("clip_grad_norm_: max_norm = {} must be >= 0", max_norm));
  }
  if (!(norm_type > 0.0)) {
    throw ValueError(
        fmt::format("clip_grad_norm_: norm_type = {} must be > 0 (or infinity)", norm_type));
  }
  const double total = total_grad_norm(params, norm_type);
  if (error_if_nonfinite && !std::isfinite(total)) {
    throw ValueError(fmt::format(
        "clip_grad_norm_: the total norm of order {} of the gradients is {}, so they cannot be "
        "clipped; pass error_if_nonfinite = false to scale them anyway",
        norm_type, total));
  }
  // As PyTorch: scale when the coefficient is below 1, and also when it is NaN.
  const double coef = max_norm / (total + 1e-6);
  if (!(coef >= 1.0)) {
    const auto scale = static_cast<float>(coef);
    for_each_grad_element(params, [&](float& g) { g *= scale; });
  }
  return total;
}

void clip_grad_value_(const std::vector<Tensor>& params, double clip_value) {
  if (!(clip_value >= 0.0)) {
    throw ValueError(fmt::format("clip_grad_value_: clip_value = {} must be >= 0", clip_value));
  }
  const auto high = static_cast<float>(clip_value);
  // Comparisons rather than std::clamp, so a NaN element stays NaN, as in PyTorch.
  for_each_grad_element(params, [&](float& g) {
    if (g > high) g = high;
    if (g < -high) g = -high;
  });
}

}  // namespace embedlab::optim
