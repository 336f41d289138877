// gradcheck: analytic gradients from backward() against central finite differences,
// (L(x + eps) - L(x - eps)) / (2 eps), with L = sum(f(x) * r) accumulated in double.
#include "autograd/gradcheck.h"

#include <cmath>

#include <fmt/format.h>

#include "autograd/grad_rows.h"
#include "autograd/ops.h"
#include "tensor/error.h"

namespace embedlab {

namespace {
// Refuses inputs and options the check cannot work with, before anything runs.
void check_gradcheck_args(const std::vector<Tensor>& inputs, const GradcheckOptions& options) {
  if (!(options.eps > 0.0) || !std::isfinite(options.eps)) {
    throw ValueError(fmt::format("gradcheck: eps = {} must be finite and > 0", options.eps));
  }
  bool any_grad = false;
  for (size_t k = 0; k < inputs.size(); ++k) {
    if (!inputs[k].defined()) {
      throw ValueError(fmt::format("gradcheck: input {} is an undefined tensor", k));
    }
    any_grad = any_grad || inputs[k].requires_grad();
  }
  if (!any_grad) {
    throw ValueError(
        fmt::format("gradcheck: none of the {} inputs requires grad, so there is "
                    "nothing to check; call requires_grad_() on those to check",
                    inputs.size()));
  }
}

double weighted_sum(const Tensor& out, const Tensor& weights) {
  double total = 0.0;
  for (int64_t i = 0; i < out.numel(); ++i)
    total += double(out.data()[i]) * weights.data()[i];
  return total;
}
}  // namespace

GradcheckResult gradcheck(const std::function<Tensor(const std::vector<Tensor>&)>& f,
                          std::vector<Tensor> inputs, const GradcheckOptions& options) {
  check_gradcheck_args(inputs, options);
  // Phase 1: the analytic gradients, from one backward of sum(f(x) * r).
  for (Tensor& input : inputs)
    reset_grad(input);
  Tensor out = f(inputs);
  Generator generator(options.seed);
  const Tensor weights = randn(out.shape(), generator);
  sum(out * weights).backward();
  std::vector<Tensor> analytic;
  for (Tensor& input : inputs) {
    analytic.push_back(input.grad().defined() ? input.grad() : zeros(input.shape()));
    reset_grad(input);
  }

  // Phase 2: the numeric slope of every element of every input that requires grad.
  NoGradGuard no_grad;
  GradcheckResult result;
  int64_t checked = 0;
  for (size_t k = 0; k < inputs.size(); ++k) {
    if (!inputs[k].requires_grad()) continue;
    std::span<float> x = inputs[k].data();
    for (size_t j = 0; j < x.size(); ++j) {
      const float original = x[j];
      x[j] = original + static_cast<float>(options.eps);
      const double plus = weighted_sum(f(inputs), weights);
      x[j] = original - static_cast<float>(options.eps);
      const double minus = weighted_sum(f(inputs), weights);
      x[j] = original;
      const double numeric = (plus - minus) / (2.0 * options.eps);
      const double value = analytic[k].data()[j];
      const double error = std::fabs(value - numeric);
      result.max_error = std::max(result.max_error, error);
      ++checked;
      if (result.ok && !(error <= options.atol + options.rtol * std::fabs(numeric))) {
        result = {false, static_cast<int>(k), static_cast<int64_t>(j), value, numeric, error, ""};
      }
    }
  }
  result.report =
      result.ok ? fmt::format("gradcheck passed: {} elements, max error {:.2g}", checked,
                              result.max_error)
                : fmt::format(
                      "gradcheck failed: input {} element {}: analytic {:.6g} vs numeric {:.6g} "
                      "(error {:.2g}, tolerance {:.2g})",
                      result.input, result.element, result.analytic, result.numeric,
                      std::fabs(result.analytic - result.numeric),
                      options.atol + options.rtol * std::fabs(result.numeric));
  return result;
}

}  // namespace embedlab
