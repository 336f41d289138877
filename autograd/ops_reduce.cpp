// Reductions (sum, mean, max) and the softmax family, each with its backward below it.
// A reduction along an axis sees the tensor as (outer, reduce, inner): element (o, r, i) sits
// at (o * reduce + r) * inner + i. For a matrix, axis 0 is (1, R, C) and axis 1 is (R, C, 1).
#include <cmath>
#include <limits>
#include <span>
#include <vector>

#include "autograd/backward.h"
#include "autograd/op_helpers.h"
#include "autograd/ops.h"

namespace embedlab {

namespace {

struct AxisLayout {
  int64_t outer = 1, reduce = 1, inner = 1;
  Shape out;  // the result's shape
};

AxisLayout axis_layout(const Shape& shape, int axis, bool keepdim, const char* op) {
  const int a = shape.normalize_axis(axis, op);
  AxisLayout layout;
  layout.reduce = shape[a];
  if (shape.rank() == 2) {
    layout.outer = a == 0 ? 1 : shape[0];
    layout.inner = a == 0 ? shape[1] : 1;
    const int64_t kept = shape[1 - a];
    layout.out = keepdim ? (a == 0 ? Shape{1, kept} : Shape{kept, 1}) : Shape{kept};
  } else {
    layout.out = keepdim ? Shape{1} : Shape{};
  }
  return layout;
}

int64_t at_position(const AxisLayout& l, int64_t o, int64_t r, int64_t i) {
  return (o * l.reduce + r) * l.inner + i;
}

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

Tensor sum(const Tensor& x, int axis, bool keepdim) {
  detail::check_float(x, "sum", "x");
  const AxisLayout l = axis_layout(x.shape(), axis, keepdim, "sum");
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
    Node& node = record_op(out, "sum_axis", sum_axis_backward, {x});
    node.saved.dim = axis;
  }
  return out;
}

// grad_x[o, r, i] = grad_out[o, i]: each input element gets the gradient of its sum
void sum_axis_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  const Tensor& x = node.input(0);
  const AxisLayout l = axis_layout(x.shape(), node.saved.dim, false, "sum");
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

Tensor mean(const Tensor& x, int axis, bool keepdim) {
  detail::check_float(x, "mean", "x");
  const int64_t count = x.shape()[x.shape().normalize_axis(axis, "mean")];
  if (count == 0) throw ValueError("mean: the axis is empty, its mean is undefined");
  return sum(x, axis, keepdim) / static_cast<float>(count);
}

Tensor max(const Tensor& x) {
  detail::check_float(x, "max", "x");
  if (x.numel() == 0) throw ValueError("max: the tensor is empty, it has no largest element");
  std::span<const float> in = x.data();
  int64_t best = 0;
  for (int64_t i = 1; i < x.numel(); ++i) {
    if (in[i] > in[best] || std::isnan(in[i])) best = i;
    if (std::isnan(in[best])) break;
  }
  Tensor out = tensor(in[best]);
  if (any_requires_grad({&x})) {
    Node& node = record_op(out, "max", max_backward, {x});
    node.saved.positions = from_ids({best}, Shape{1});
  }
  return out;
}

// d(max x)/dx_i = 1 at the saved position of the largest element, else 0
void max_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  const Tensor& x = node.input(0);
  Tensor grad = zeros(x.shape());
  grad.data()[node.saved.positions->ids()[0]] = grad_out.item();
  accumulate_grad(x, std::move(grad));
}

Tensor argmax(const Tensor& x, int axis) {
  detail::check_float(x, "argmax", "x");
  const AxisLayout l = axis_layout(x.shape(), axis, false, "argmax");
  if (l.reduce == 0) throw ValueError("argmax: the axis is empty, it has no largest element");
  Tensor out = make_tensor(l.out, DType::Int64);
  const float* in = x.data().data();
  for (int64_t o = 0; o < l.outer; ++o) {
    for (int64_t i = 0; i < l.inner; ++i) {
      // A NaN counts as the largest (the first one wins), as in max() and PyTorch.
      int64_t best = 0;
      for (int64_t r = 1; r < l.reduce && !std::isnan(in[at_position(l, o, best, i)]); ++r) {
        const float v = in[at_position(l, o, r, i)];
        if (v > in[at_position(l, o, best, i)] || std::isnan(v)) best = r;
      }
      out.ids()[o * l.inner + i] = best;
    }
  }
  return out;
}

Tensor max(const Tensor& x, int axis, bool keepdim) {
  const Tensor positions = argmax(x, axis);
  const AxisLayout l = axis_layout(x.shape(), axis, keepdim, "max");
  Tensor out = make_tensor(l.out);
  for (int64_t o = 0; o < l.outer; ++o) {
    for (int64_t i = 0; i < l.inner; ++i) {
      out.data()[o * l.inner + i] =
          x.data()[at_position(l, o, positions.ids()[o * l.inner + i], i)];
    }
  }
  if (any_requires_grad({&x})) {
    Node& node = record_op(out, "max_axis", max_axis_backward, {x});
    node.saved.dim = axis;
    node.saved.positions = positions;
  }
  return out;
}

// grad_x[o, argmax[o, i], i] = grad_out[o, i], every other element 0
void max_axis_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  const Tensor& x = node.input(0);
  const AxisLayout l = axis_layout(x.shape(), node.saved.dim, false, "max");
  Tensor grad = zeros(x.shape());
  std::span<const int64_t> positions = node.saved.positions->ids();
  for (int64_t o = 0; o < l.outer; ++o) {
    for (int64_t i = 0; i < l.inner; ++i) {
      grad.data()[at_position(l, o, positions[o * l.inner + i], i)] +=
          grad_out.data()[o * l.inner + i];
    }
  }
  accumulate_grad(x, std::move(grad));
}

namespace {
// Writes softmax (or log-softmax) of x along the layout's reduce axis into out.
void softmax_kernel(const Tensor& x, const AxisLayout& l, Tensor& out, bool take_log) {
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

Tensor softmax(const Tensor& x, int axis) {
  detail::check_float(x, "softmax", "x");
  const AxisLayout l = axis_layout(x.shape(), axis, false, "softmax");
  Tensor out = make_tensor(x.shape());
  softmax_kernel(x, l, out, false);
  if (any_requires_grad({&x})) {
    Node& node = record_op(out, "softmax", softmax_backward, {x});
    node.saved.dim = axis;
    node.saved.output = true;
  }
  return out;
}

// grad_x = y * (grad_out - sum(grad_out * y)) along the axis, where y = softmax(x) is the output
void softmax_backward(Node& node, const Tensor& grad_out, const Tensor& out) {
  const Tensor& x = node.input(0);
  const AxisLayout l = axis_layout(x.shape(), node.saved.dim, false, "softmax");
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

Tensor log_softmax(const Tensor& x, int axis) {
  detail::check_float(x, "log_softmax", "x");
  const AxisLayout l = axis_layout(x.shape(), axis, false, "log_softmax");
  Tensor out = make_tensor(x.shape());
  softmax_kernel(x, l, out, true);
  if (any_requires_grad({&x})) {
    Node& node = record_op(out, "log_softmax", log_softmax_backward, {x});
    node.saved.dim = axis;
    node.saved.output = true;
  }
  return out;
}

// grad_x = grad_out - softmax(x) * sum(grad_out) along the axis; softmax = e^out
void log_softmax_backward(Node& node, const Tensor& grad_out, const Tensor& out) {
  const Tensor& x = node.input(0);
  const AxisLayout l = axis_layout(x.shape(), node.saved.dim, false, "log_softmax");
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
