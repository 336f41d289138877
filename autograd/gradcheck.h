/// @file gradcheck.h
/// @brief `gradcheck`: compares backward's gradients with finite differences.
///
/// The check every op in embedlab passes: nudge each input element by +-eps, see how the output
/// moves, and compare that slope with what backward computed. A non-scalar output is reduced
/// to sum(out * r) with fixed random weights r, so every output element is checked.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace embedlab {

/// Tolerances and step size for `gradcheck`.
struct GradcheckOptions {
  double eps = 1e-2;   ///< finite-difference step (float32 needs a fairly large one)
  double atol = 1e-3;  ///< absolute tolerance
  double rtol = 1e-2;  ///< relative tolerance, times |numeric|
  uint64_t seed = 0;   ///< seed of the output weights r
};

/// What `gradcheck` found: `ok`, and for the first mismatch which input and element, the
/// analytic and numeric values and a readable report.
struct GradcheckResult {
  bool ok = true;          ///< true when every element matched
  int input = -1;          ///< index of the first mismatching input
  int64_t element = -1;    ///< flat index of its mismatching element
  double analytic = 0.0;   ///< backward's value there
  double numeric = 0.0;    ///< the finite-difference value there
  double max_error = 0.0;  ///< largest |analytic - numeric| seen
  std::string report;      ///< one line saying what matched or what did not
  /// Converts to `ok`, so `REQUIRE(gradcheck(...))` works.
  explicit operator bool() const { return ok; }
};

/// Checks the gradients of `f` at `inputs` (those that require grad) by central differences.
/// @param f a function of the inputs returning a tensor (scalar or not)
/// @param inputs float tensors; only those with requires_grad() are checked
/// @param options step size, tolerances and the seed of the output weights
/// @return the result; `report` names the input, element, analytic and numeric values.
/// @throws ValueError for an undefined input, when no input requires grad, or when eps is not
/// finite and > 0.
/// The inputs' `.grad` is reset (undefined) afterwards.
/// @code
/// Tensor x = randn({3}).requires_grad_();
/// auto result = gradcheck([](const std::vector<Tensor>& in) { return tanh(in[0]); }, {x});
/// fmt::print("{}\n", result.report);   // gradcheck passed: 3 elements, max error 1.2e-06
/// @endcode
GradcheckResult gradcheck(const std::function<Tensor(const std::vector<Tensor>&)>& f,
                          std::vector<Tensor> inputs, const GradcheckOptions& options = {});

}  // namespace embedlab
