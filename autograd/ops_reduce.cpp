// Reductions (sum, mean, max, min, argmax) and the softmax family, each with its backward
// below it. An op along a dim sees the tensor as (outer, reduce, inner) (detail::DimLayout in
// op_helpers.h): for a matrix, dim 0 is (1, R, C) and dim 1 is (R, C, 1).
#include <cmath>
#include <limits>
#include <span>
#include <vector>

#include <fmt/format.h>

#include "autograd/backward.h"
#include "autograd/op_helpers.h"
#include "autograd/ops.h"

namespace embedlab {

using detail::at_position;
using detail::dim_layout;
using detail::DimLayout;

namespace {

// Returns the sum of `values` in double, which keeps a sum of millions of floats accurate.
// Eight running sums instead of one: the compiler keeps them in vector registers and adds
// eight elements at a time, where a single sum would make every add wait for the previous.
double sum_in_double(std::span<const float> values) {
  const size_t n = values.size();
  double partial[8] = {};
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (size_t l = 0; l < 8; ++l)
      partial[l] += values[i + l];
  }
  double total = 0.0;
  for (; i < n; ++i)
    total += values[i];
  for (size_t l = 0; l < 8; ++l)
    total += partial[l];
  return total;
}

}  // namespace

Tensor sum(const Tensor& x) {
  detail::check_float(x, "sum", "x");
  Tensor out = tensor(static_cast<float>(sum_in_double(x.data())));
  if (any_requires_grad({&x})) record_op(out, "sum", sum_backward, {x});
  return out;
}

// d(sum x)/dx_i = 1: every element gets grad_out
void sum_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  // One pass that writes the value (full() would zero the buffer first, then fill it).
  const Tensor& x = node.input(0);
  FloatBuffer grad(static_cast<size_t>(x.numel()), grad_out.item());
  accumulate_grad(x, from_buffer(std::move(grad), x.shape()));
}

Tensor mean(const Tensor& x) {
  detail::check_float(x, "mean", "x");
  if (x.numel() == 0) throw ValueError("mean: the tensor is empty, its mean is undefined");
  Tensor out = sum(x) / static_cast<float>(x.numel());
  return out;
}

Tensor sum(const Tensor& x, int dim, bool keepdim) {
  detail::check_float(x, "sum", "x");
  const DimLayout l = dim_layout(x.shape(), dim, keepdim, "sum");
  Tensor out = zeros(l.out);
  const float* in = x.data().data();
  float* result = out.data().data();
  for (int64_t o = 0; o < l.outer; ++o) {
    for (int64_t r = 0; r < l.reduce; ++r) {
      for (int64_t i = 0; i < l.inner; ++i)
        result[o * l.inner + i] += in[at_position(l, o, r, i)];
    }
  }
  if (any_requires_grad({&x})) {
    Node& node = record_op(out, "sum_dim", sum_dim_backward, {x});
    node.saved.dim = dim;
  }
  return out;
}

// grad_x[o, r, i] = grad_out[o, i]: each input element gets the gradient of its sum
void sum_dim_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  const Tensor& x = node.input(0);
  const DimLayout l = dim_layout(x.shape(), node.saved.dim, false, "sum");
  Tensor grad = make_tensor(x.shape());
  const float* go = grad_out.data().data();
  float* g = grad.data().data();
  for (int64_t o = 0; o < l.outer; ++o) {
    for (int64_t r = 0; r < l.reduce; ++r) {
      for (int64_t i = 0; i < l.inner; ++i)
        g[at_position(l, o, r, i)] = go[o * l.inner + i];
    }
  }
  accumulate_grad(x, std::move(grad));
}

Tensor mean(const Tensor& x, int dim, bool keepdim) {
  detail::check_float(x, "mean", "x");
  const int64_t count = x.shape()[x.shape().normalize_dim(dim, "mean")];
  if (count == 0) {
    throw ValueError(fmt::format("mean: dim {} of shape {} has size 0, its mean is undefined", dim,
                                 x.shape().to_string()));
  }
  return sum(x, dim, keepdim) / static_cast<float>(count);
}

// ---- max and min: the value picked, and the position it came from ----

namespace {
// Returns the position r in [0, count) of the largest (or smallest) of in[r * stride]: the
// first one on ties, and the first NaN if there is one (a NaN beats every number, as in
// PyTorch, so a NaN in the input shows in the result).
int64_t pick_position(const float* in, int64_t count, int64_t stride, bool largest) {
  int64_t best = 0;
  for (int64_t r = 1; r < count && !std::isnan(in[best * stride]); ++r) {
    const float v = in[r * stride];
    if (std::isnan(v) || (largest ? v > in[best * stride] : v < in[best * stride])) best = r;
  }
  return best;
}

// max(x) or min(x): the picked element as a scalar, its flat position saved for backward.
Tensor pick_all(const Tensor& x, bool largest, BackwardFn backward_fn) {
  const char* op = largest ? "max" : "min";
  detail::check_float(x, op, "x");
  if (x.numel() == 0) {
    throw ValueError(fmt::format("{}: the tensor of shape {} is empty, it has no {} element", op,
                                 x.shape().to_string(), largest ? "largest" : "smallest"));
  }
  const int64_t best = pick_position(x.data().data(), x.numel(), 1, largest);
  Tensor out = tensor(x.data()[best]);
  if (any_requires_grad({&x})) {
    Node& node = record_op(out, op, backward_fn, {x});
    node.saved.positions = from_ids({best}, Shape{1});
  }
  return out;
}

// max(x, dim), min(x, dim) or argmax: for every (o, i) the picked value and its position r.
// Records nothing: the callers that return values record them.
ValuesIndices pick_along(const Tensor& x, int dim, bool keepdim, bool largest, const char* op) {
  detail::check_float(x, op, "x");
  const DimLayout l = dim_layout(x.shape(), dim, keepdim, op);
  if (l.reduce == 0) {
    throw ValueError(fmt::format("{}: dim {} of shape {} has size 0, it has no {} element", op, dim,
                                 x.shape().to_string(), largest ? "largest" : "smallest"));
  }
  ValuesIndices out{make_tensor(l.out), make_tensor(l.out, DType::Int64)};
  const float* in = x.data().data();
  for (int64_t o = 0; o < l.outer; ++o) {
    for (int64_t i = 0; i < l.inner; ++i) {
      const int64_t r = pick_position(in + at_position(l, o, 0, i), l.reduce, l.inner, largest);
      out.values.data()[o * l.inner + i] = in[at_position(l, o, r, i)];
      out.indices.ids()[o * l.inner + i] = r;
    }
  }
  return out;
}

// Makes out.values the output of a node that sends its gradient to out.indices along dim.
void record_pick(ValuesIndices& out, const Tensor& x, int dim, const char* name,
                 BackwardFn backward_fn) {
  Node& node = record_op(out.values, name, backward_fn, {x});
  node.saved.dim = dim;
  node.saved.positions = out.indices;
}

// grad_x[p] = grad_out at the one saved flat position p, 0 elsewhere
void grad_to_position(Node& node, const Tensor& grad_out) {
  const Tensor& x = node.input(0);
  Tensor grad = zeros(x.shape());
  grad.data()[node.saved.positions->ids()[0]] = grad_out.item();
  accumulate_grad(x, std::move(grad));
}

// grad_x[o, indices[o, i], i] = grad_out[o, i], every other element 0
void grad_to_positions_along(Node& node, const Tensor& grad_out) {
  const Tensor& x = node.input(0);
  const DimLayout l = dim_layout(x.shape(), node.saved.dim, false, node.name);
  Tensor grad = zeros(x.shape());
  std::span<const int64_t> positions = node.saved.positions->ids();
  for (int64_t o = 0; o < l.outer; ++o) {
    for (int64_t i = 0; i < l.inner; ++i) {
      grad.data()[at_position(l, o, positions[o * l.inner + i], i)] =
          grad_out.data()[o * l.inner + i];
    }
  }
  accumulate_grad(x, std::move(grad));
}
}  // namespace

Tensor max(const Tensor& x) {
  return pick_all(x, /*largest=*/true, max_backward);
}

// d(max x)/dx_p = 1 at the saved position p of the (first) largest element, else 0
void max_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  grad_to_position(node, grad_out);
}

Tensor min(const Tensor& x) {
  return pick_all(x, /*largest=*/false, min_backward);
}

// d(min x)/dx_p = 1 at the saved position p of the (first) smallest element, else 0
void min_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  grad_to_position(node, grad_out);
}

ValuesIndices max(const Tensor& x, int dim, bool keepdim) {
  ValuesIndices out = pick_along(x, dim, keepdim, /*largest=*/true, "max");
  if (any_requires_grad({&x})) record_pick(out, x, dim, "max_dim", max_dim_backward);
  return out;
}

// grad_x[o, indices[o, i], i] = grad_out[o, i]: each largest element gets its value's gradient
void max_dim_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  grad_to_positions_along(node, grad_out);
}

ValuesIndices min(const Tensor& x, int dim, bool keepdim) {
  ValuesIndices out = pick_along(x, dim, keepdim, /*largest=*/false, "min");
  if (any_requires_grad({&x})) record_pick(out, x, dim, "min_dim", min_dim_backward);
  return out;
}

// grad_x[o, indices[o, i], i] = grad_out[o, i]: each smallest element gets its value's gradient
void min_dim_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  grad_to_positions_along(node, grad_out);
}

Tensor argmax(const Tensor& x, int dim) {
  return pick_along(x, dim, /*keepdim=*/false, /*largest=*/true, "argmax").indices;
}

namespace {
// Writes softmax (or log-softmax) of x along the layout's reduce dim into out.
void softmax_kernel(const Tensor& x, const DimLayout& l, Tensor& out, bool take_log) {
  const float* in = x.data().data();
  float* result = out.data().data();
  for (int64_t o = 0; o < l.outer; ++o) {
    for (int64_t i = 0; i < l.inner; ++i) {
      // Subtracting the max first keeps every e^(x - max) in (0, 1]: no overflow.
      float biggest = -std::numeric_limits<float>::infinity();
      for (int64_t r = 0; r < l.reduce; ++r)
        biggest = std::max(biggest, in[at_position(l, o, r, i)]);
      double total = 0.0;
      for (int64_t r = 0; r < l.reduce; ++r)
        total += std::exp(in[at_position(l, o, r, i)] - biggest);
      const float log_total = static_cast<float>(std::log(total));
      for (int64_t r = 0; r < l.reduce; ++r) {
        const float shifted = in[at_position(l, o, r, i)] - biggest - log_total;
        result[at_position(l, o, r, i)] = take_log ? shifted : std::exp(shifted);
      }
    }
  }
}
}  // namespace

Tensor softmax(const Tensor& x, int dim) {
  detail::check_float(x, "softmax", "x");
  const DimLayout l = dim_layout(x.shape(), dim, false, "softmax");
  Tensor out = make_tensor(x.shape());
  softmax_kernel(x, l, out, false);
  if (any_requires_grad({&x})) {
    Node& node = record_op(out, "softmax", softmax_backward, {x});
    node.saved.dim = dim;
    node.saved.output = true;
  }
  return out;
}

// grad_x = y * (grad_out - sum(grad_out * y)) along the dim, where y = softmax(x) is the output
void softmax_backward(Node& node, const Tensor& grad_out, const Tensor& out) {
  const Tensor& x = node.input(0);
  const DimLayout l = dim_layout(x.shape(), node.saved.dim, false, "softmax");
  Tensor grad = make_tensor(x.shape());
  const float *y = out.data().data(), *go = grad_out.data().data();
  float* g = grad.data().data();
  for (int64_t o = 0; o < l.outer; ++o) {
    for (int64_t i = 0; i < l.inner; ++i) {
      float dot = 0.0f;
      for (int64_t r = 0; r < l.reduce; ++r)
        dot += go[at_position(l, o, r, i)] * y[at_position(l, o, r, i)];
      for (int64_t r = 0; r < l.reduce; ++r) {
        const int64_t p = at_position(l, o, r, i);
        g[p] = y[p] * (go[p] - dot);
      }
    }
  }
  accumulate_grad(x, std::move(grad));
}

Tensor log_softmax(const Tensor& x, int dim) {
  detail::check_float(x, "log_softmax", "x");
  const DimLayout l = dim_layout(x.shape(), dim, false, "log_softmax");
  Tensor out = make_tensor(x.shape());
  softmax_kernel(x, l, out, true);
  if (any_requires_grad({&x})) {
    Node& node = record_op(out, "log_softmax", log_softmax_backward, {x});
    node.saved.dim = dim;
    node.saved.output = true;
  }
  return out;
}

// grad_x = grad_out - softmax(x) * sum(grad_out) along the dim; softmax = e^out
void log_softmax_backward(Node& node, const Tensor& grad_out, const Tensor& out) {
  const Tensor& x = node.input(0);
  const DimLayout l = dim_layout(x.shape(), node.saved.dim, false, "log_softmax");
  Tensor grad = make_tensor(x.shape());
  const float *log_y = out.data().data(), *go = grad_out.data().data();
  float* g = grad.data().data();
  for (int64_t o = 0; o < l.outer; ++o) {
    for (int64_t i = 0; i < l.inner; ++i) {
      float total = 0.0f;
      for (int64_t r = 0; r < l.reduce; ++r)
        total += go[at_position(l, o, r, i)];
      for (int64_t r = 0; r < l.reduce; ++r) {
        const int64_t p = at_position(l, o, r, i);
        g[p] = go[p] - std::exp(log_y[p]) * total;
      }
    }
  }
  accumulate_grad(x, std::move(grad));
}

}  // namespace embedlab
