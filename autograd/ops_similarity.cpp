// Lengths and similarities: row-wise dot products, L2 norms (of the whole tensor, or along a
// dim) and cosine similarity, each with its backward. For rowwise_dot and cosine_similarity a
// matrix is a stack of row vectors and a vector a single row whose result is a scalar. These
// are what nearest-neighbour queries and word2vec's scores are made of.
#include <cmath>
#include <span>

#include <fmt/format.h>

#include "autograd/backward.h"
#include "autograd/op_helpers.h"
#include "autograd/ops.h"
#include "tensor/error.h"

namespace embedlab {

namespace {
// (N, D) or (D): the number of rows N, the row length D, and the result shape.
struct Rows {
  int64_t N, D;
  Shape out;
};

Rows row_layout(const Shape& shape, const char* op) {
  if (shape.rank() == 0) {
    throw ShapeError(
        fmt::format("{}: needs a vector or a matrix of row vectors, got a scalar", op));
  }
  return shape.rank() == 2 ? Rows{shape[0], shape[1], Shape{shape[0]}} : Rows{1, shape[0], Shape{}};
}

Rows paired_rows(const Tensor& a, const Tensor& b, const char* op) {
  detail::check_float(a, op, "a");
  detail::check_float(b, op, "b");
  if (a.shape() != b.shape()) {
    throw ShapeError(fmt::format("{}: shapes {} and {} must be equal", op, a.shape().to_string(),
                                 b.shape().to_string()));
  }
  return row_layout(a.shape(), op);
}

float dot(const float* x, const float* y, int64_t D) {
  float total = 0.0f;
  for (int64_t c = 0; c < D; ++c)
    total += x[c] * y[c];
  return total;
}
}  // namespace

Tensor rowwise_dot(const Tensor& a, const Tensor& b) {
  const Rows r = paired_rows(a, b, "rowwise_dot");
  Tensor out = make_tensor(r.out);
  for (int64_t i = 0; i < r.N; ++i) {
    out.data()[i] = dot(a.data().data() + i * r.D, b.data().data() + i * r.D, r.D);
  }
  if (any_requires_grad({&a, &b})) record_op(out, "rowwise_dot", rowwise_dot_backward, {a, b});
  return out;
}

// grad_a[i, :] = grad_out[i] * b[i, :],  grad_b[i, :] = grad_out[i] * a[i, :]
void rowwise_dot_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  const Tensor& a = node.input(0);
  const Tensor& b = node.input(1);
  const Rows r = row_layout(a.shape(), "rowwise_dot");
  Tensor grad_a = make_tensor(a.shape()), grad_b = make_tensor(b.shape());
  for (int64_t i = 0; i < r.N; ++i) {
    const float g = grad_out.data()[i];
    for (int64_t c = 0; c < r.D; ++c) {
      grad_a.data()[i * r.D + c] = g * b.data()[i * r.D + c];
      grad_b.data()[i * r.D + c] = g * a.data()[i * r.D + c];
    }
  }
  accumulate_grad(a, std::move(grad_a));
  accumulate_grad(b, std::move(grad_b));
}

Tensor norm(const Tensor& x) {
  detail::check_float(x, "norm", "x");
  // Squares summed in double: exact enough for millions of elements, and no overflow for
  // float values near 1e38, whose squares a float cannot hold.
  double squares = 0.0;
  for (const float v : x.data())
    squares += static_cast<double>(v) * v;
  Tensor out = tensor(static_cast<float>(std::sqrt(squares)));
  if (any_requires_grad({&x})) record_op(out, "norm", norm_backward, {x}).saved.output = true;
  return out;
}

// grad_x = grad_out * x / |x|   (0 for an all-zero x, where |x| has no derivative, as PyTorch)
void norm_backward(Node& node, const Tensor& grad_out, const Tensor& out) {
  const Tensor& x = node.input(0);
  Tensor grad = zeros(x.shape());
  const float length = out.item();
  if (length != 0.0f) {
    const float scale = grad_out.item() / length;
    std::span<const float> in = x.data();
    for (size_t p = 0; p < in.size(); ++p)
      grad.data()[p] = scale * in[p];
  }
  accumulate_grad(x, std::move(grad));
}

Tensor norm(const Tensor& x, int dim, bool keepdim) {
  detail::check_float(x, "norm", "x");
  const detail::DimLayout l = detail::dim_layout(x.shape(), dim, keepdim, "norm");
  Tensor out = make_tensor(l.out);
  const float* in = x.data().data();
  for (int64_t o = 0; o < l.outer; ++o) {
    for (int64_t i = 0; i < l.inner; ++i) {
      double squares = 0.0;
      for (int64_t r = 0; r < l.reduce; ++r) {
        const double v = in[detail::at_position(l, o, r, i)];
        squares += v * v;
      }
      out.data()[o * l.inner + i] = static_cast<float>(std::sqrt(squares));
    }
  }
  if (any_requires_grad({&x})) {
    Node& node = record_op(out, "norm_dim", norm_dim_backward, {x});
    node.saved.dim = dim;
    node.saved.output = true;
  }
  return out;
}

// grad_x[o, r, i] = grad_out[o, i] * x[o, r, i] / out[o, i]   (0 where out[o, i] = 0)
void norm_dim_backward(Node& node, const Tensor& grad_out, const Tensor& out) {
  const Tensor& x = node.input(0);
  const detail::DimLayout l = detail::dim_layout(x.shape(), node.saved.dim, false, "norm");
  Tensor grad = zeros(x.shape());
  const float* in = x.data().data();
  for (int64_t o = 0; o < l.outer; ++o) {
    for (int64_t i = 0; i < l.inner; ++i) {
      const float length = out.data()[o * l.inner + i];
      if (length == 0.0f) continue;
      const float scale = grad_out.data()[o * l.inner + i] / length;
      for (int64_t r = 0; r < l.reduce; ++r) {
        const int64_t p = detail::at_position(l, o, r, i);
        grad.data()[p] = scale * in[p];
      }
    }
  }
  accumulate_grad(x, std::move(grad));
}

Tensor cosine_similarity(const Tensor& a, const Tensor& b, float eps) {
  const Rows r = paired_rows(a, b, "cosine_similarity");
  Tensor out = make_tensor(r.out);
  // BEGIN SOLUTION task 4.1
  for (int64_t i = 0; i < r.N; ++i) {
    const float* x = a.data().data() + i * r.D;
    const float* y = b.data().data() + i * r.D;
    const float lengths = std::sqrt(dot(x, x, r.D)) * std::sqrt(dot(y, y, r.D));
    out.data()[i] = dot(x, y, r.D) / std::max(lengths, eps);
  }
  // END SOLUTION
  if (any_requires_grad({&a, &b})) {
    Node& node = record_op(out, "cosine_similarity", cosine_similarity_backward, {a, b});
    node.saved.eps = eps;
    node.saved.output = true;
  }
  return out;
}

// With m = max(|a| |b|, eps) and cos = a.b / m:
//   when |a| |b| > eps: grad_a = g * (b / m - cos * a / |a|^2), grad_b likewise with a, b swapped;
//   otherwise m is the constant eps: grad_a = g * b / eps, grad_b = g * a / eps.
void cosine_similarity_backward(Node& node, const Tensor& grad_out, const Tensor& out) {
  const Tensor& a = node.input(0);
  const Tensor& b = node.input(1);
  const Rows r = row_layout(a.shape(), "cosine_similarity");
  Tensor grad_a = make_tensor(a.shape()), grad_b = make_tensor(b.shape());
  // BEGIN SOLUTION task 4.2
  // STUB: (void)grad_out, (void)out, (void)r;
  const float eps = node.saved.eps;
  for (int64_t i = 0; i < r.N; ++i) {
    const float* x = a.data().data() + i * r.D;
    const float* y = b.data().data() + i * r.D;
    const float xx = dot(x, x, r.D), yy = dot(y, y, r.D);
    const float lengths = std::sqrt(xx) * std::sqrt(yy);
    const float g = grad_out.data()[i], cos = out.data()[i];
    const bool clamped = !(lengths > eps);
    const float m = clamped ? eps : lengths;
    for (int64_t c = 0; c < r.D; ++c) {
      grad_a.data()[i * r.D + c] = g * (y[c] / m - (clamped ? 0.0f : cos * x[c] / xx));
      grad_b.data()[i * r.D + c] = g * (x[c] / m - (clamped ? 0.0f : cos * y[c] / yy));
    }
  }
  // END SOLUTION
  accumulate_grad(a, std::move(grad_a));
  accumulate_grad(b, std::move(grad_b));
}

}  // namespace embedlab
