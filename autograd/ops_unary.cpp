// Unary element-wise ops: neg, pow, exp, log, sqrt, abs, clamp, tanh, sigmoid, relu.
// Each forward maps every element; right below it, its backward multiplies grad_out by the
// local derivative, written once as math above the function.
#include <cmath>
#include <limits>
#include <optional>

#include "autograd/backward.h"
#include "autograd/op_helpers.h"
#include "autograd/ops.h"
#include "tensor/error.h"

namespace embedlab {

using detail::map_values;
using detail::zip_values;

namespace {
// The forward shared by every unary op: checks, maps, records.
// An op whose backward reads its output (exp, sqrt, tanh, sigmoid) passes `saves_output`, so
// backward refuses an output changed in place since.
template <typename F>
Tensor unary_op(const Tensor& x, const char* op, BackwardFn backward, F f,
                bool saves_output = false) {
  detail::check_float(x, op, "x");
  Tensor out = map_values(x, f);
  if (any_requires_grad({&x})) record_op(out, op, backward, {x}).saved.output = saves_output;
  return out;
}

// The node that made `out`, when one was recorded, to fill in what its backward needs.
Saved* saved_of(const Tensor& out) {
  Node* node = out.impl()->grad_fn.get();
  return node ? &node->saved : nullptr;
}
}  // namespace

Tensor neg(const Tensor& x) {
  return unary_op(x, "neg", neg_backward, [](float v) { return -v; });
}

// d(-x)/dx = -1
void neg_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  accumulate_grad(node.input(0), map_values(grad_out, [](float g) { return -g; }));
}

Tensor pow(const Tensor& x, float exponent) {
  Tensor out =
      unary_op(x, "pow", pow_backward, [exponent](float v) { return std::pow(v, exponent); });
  if (Saved* saved = saved_of(out)) saved->exponent = exponent;
  return out;
}

// d(x^p)/dx = p * x^(p-1); for p = 0 the derivative is 0 everywhere (x^0 is the constant 1),
// where the formula would give 0 * 0^-1 = NaN at x = 0 (PyTorch also returns 0).
void pow_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  const float p = node.saved.exponent;
  accumulate_grad(node.input(0), zip_values(grad_out, node.input(0), [p](float g, float x) {
                    return p == 0.0f ? 0.0f : g * p * std::pow(x, p - 1.0f);
                  }));
}

Tensor exp(const Tensor& x) {
  return unary_op(
      x, "exp", exp_backward, [](float v) { return std::exp(v); }, true);
}

// d(e^x)/dx = e^x, which is the output
void exp_backward(Node& node, const Tensor& grad_out, const Tensor& out) {
  accumulate_grad(node.input(0), zip_values(grad_out, out, [](float g, float y) { return g * y; }));
}

Tensor log(const Tensor& x) {
  return unary_op(x, "log", log_backward, [](float v) { return std::log(v); });
}

// d(ln x)/dx = 1 / x
void log_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  accumulate_grad(node.input(0),
                  zip_values(grad_out, node.input(0), [](float g, float x) { return g / x; }));
}

Tensor sqrt(const Tensor& x) {
  return unary_op(
      x, "sqrt", sqrt_backward, [](float v) { return std::sqrt(v); }, true);
}

// d(sqrt x)/dx = 1 / (2 sqrt x), and sqrt x is the output
void sqrt_backward(Node& node, const Tensor& grad_out, const Tensor& out) {
  accumulate_grad(node.input(0),
                  zip_values(grad_out, out, [](float g, float y) { return g / (2.0f * y); }));
}

Tensor abs(const Tensor& x) {
  return unary_op(x, "abs", abs_backward, [](float v) -> float {
    // BEGIN SOLUTION task 1.2
    // STUB: (void)v;
    return std::fabs(v);
    // END SOLUTION
  });
}

// d|x|/dx = sign(x), taken as 0 at x = 0
void abs_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  accumulate_grad(node.input(0), zip_values(grad_out, node.input(0), [](float g, float x) {
                    return x > 0.0f ? g : (x < 0.0f ? -g : 0.0f);
                  }));
}

Tensor clamp_min(const Tensor& x, float min) {
  return clamp(x, min, std::nullopt);
}

Tensor clamp_max(const Tensor& x, float max) {
  return clamp(x, std::nullopt, max);
}

Tensor clamp(const Tensor& x, std::optional<float> min_bound, std::optional<float> max_bound) {
  if (!min_bound && !max_bound) {
    throw ValueError("clamp: at least one of min and max must be given (both are std::nullopt)");
  }
  // A missing bound is an infinite one: x >= -inf and x <= inf hold for every number.
  const float min = min_bound.value_or(-std::numeric_limits<float>::infinity());
  const float max = max_bound.value_or(std::numeric_limits<float>::infinity());
  if (!(min <= max)) {
    throw ValueError(fmt::format("clamp: min {} must not exceed max {}", min, max));
  }
  Tensor out = unary_op(x, "clamp", clamp_backward,
                        [min, max](float v) { return std::min(std::max(v, min), max); });
  if (Saved* saved = saved_of(out)) {
    saved->min = min;
    saved->max = max;
  }
  return out;
}

// d clamp(x)/dx = 1 where min <= x <= max, else 0
void clamp_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  const float min = node.saved.min, max = node.saved.max;
  accumulate_grad(node.input(0), zip_values(grad_out, node.input(0), [min, max](float g, float x) {
                    return x >= min && x <= max ? g : 0.0f;
                  }));
}

Tensor tanh(const Tensor& x) {
  return unary_op(
      x, "tanh", tanh_backward, [](float v) { return std::tanh(v); }, true);
}

// d tanh(x)/dx = 1 - tanh(x)^2, and tanh(x) is the output
void tanh_backward(Node& node, const Tensor& grad_out, const Tensor& out) {
  // BEGIN SOLUTION task 2.2
  // STUB: (void)node, (void)grad_out, (void)out;
  accumulate_grad(node.input(0),
                  zip_values(grad_out, out, [](float g, float y) { return g * (1.0f - y * y); }));
  // END SOLUTION
}

Tensor sigmoid(const Tensor& x) {
  // Written so that e^v never overflows: for v < 0 use e^v / (1 + e^v).
  return unary_op(
      x, "sigmoid", sigmoid_backward,
      [](float v) {
        if (v >= 0.0f) return 1.0f / (1.0f + std::exp(-v));
        const float e = std::exp(v);
        return e / (1.0f + e);
      },
      true);
}

// d sigmoid(x)/dx = s (1 - s), where s = sigmoid(x) is the output
void sigmoid_backward(Node& node, const Tensor& grad_out, const Tensor& out) {
  accumulate_grad(node.input(0),
                  zip_values(grad_out, out, [](float g, float s) { return g * s * (1.0f - s); }));
}

Tensor relu(const Tensor& x) {
  return unary_op(x, "relu", relu_backward, [](float v) { return v > 0.0f ? v : 0.0f; });
}

// d relu(x)/dx = 1 where x > 0, else 0
void relu_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  accumulate_grad(node.input(0), zip_values(grad_out, node.input(0),
                                            [](float g, float x) { return x > 0.0f ? g : 0.0f; }));
}

Tensor operator-(const Tensor& x) {
  return neg(x);
}

}  // namespace embedlab
