// Binary element-wise ops with broadcasting: add, sub, mul, div (and the operators).
// Each forward is followed by its backward. Broadcasting is handled by strides: an operand
// that stretches along a dim has stride 0 there, so the backward's "+=" through the same
// strides sums the gradient over the stretched dim, which is exactly its derivative.
#include <fmt/format.h>

#include "autograd/backward.h"
#include "autograd/op_helpers.h"
#include "autograd/ops.h"

namespace embedlab {

namespace {

// How two shapes broadcast: the output's (R, C) and each operand's strides into it.
struct Broadcast {
  Shape out;
  int64_t R = 1, C = 1;
  int64_t a_row = 0, a_col = 0, b_row = 0, b_col = 0;
  bool same = false;  // equal shapes: one flat loop does it
};

// Combines two sizes along one dim by PyTorch's rule (equal, or one of them is 1).
int64_t broadcast_size(int64_t a, int64_t b, const Shape& sa, const Shape& sb, const char* op) {
  if (a == b || b == 1) return a;
  if (a == 1) return b;
  throw ShapeError(
      fmt::format("{}: shapes {} and {} cannot broadcast", op, sa.to_string(), sb.to_string()));
}

Broadcast broadcast_shapes(const Shape& sa, const Shape& sb, const char* op) {
  Broadcast bc;
  bc.same = sa == sb;
  // Padding to rank 2 from the left: () -> (1, 1), (n) -> (1, n).
  const std::span<const int64_t> a = sa.sizes(), b = sb.sizes();
  const int64_t ra = a.size() == 2 ? a[0] : 1, ca = a.empty() ? 1 : a.back();
  const int64_t rb = b.size() == 2 ? b[0] : 1, cb = b.empty() ? 1 : b.back();
  bc.R = broadcast_size(ra, rb, sa, sb, op);
  bc.C = broadcast_size(ca, cb, sa, sb, op);
  const int out_rank = std::max(sa.rank(), sb.rank());
  bc.out = out_rank == 2 ? Shape{bc.R, bc.C} : out_rank == 1 ? Shape{bc.C} : Shape{};
  bc.a_row = ra == 1 ? 0 : ca;
  bc.a_col = ca == 1 ? 0 : 1;
  bc.b_row = rb == 1 ? 0 : cb;
  bc.b_col = cb == 1 ? 0 : 1;
  return bc;
}

// Calls body(i, ia, ib) for every output element i and the a and b elements it reads.
template <typename F>
void for_each_broadcast(const Broadcast& bc, F body) {
  if (bc.same) {
    const int64_t n = bc.R * bc.C;
    for (int64_t i = 0; i < n; ++i)
      body(i, i, i);
    return;
  }
  for (int64_t r = 0; r < bc.R; ++r) {
    for (int64_t c = 0; c < bc.C; ++c) {
      body(r * bc.C + c, r * bc.a_row + c * bc.a_col, r * bc.b_row + c * bc.b_col);
    }
  }
}

// The forward shared by the four ops: out[i] = f(a[ia], b[ib]).
template <typename F>
Tensor binary_forward(const Tensor& a, const Tensor& b, const char* op, const Broadcast& bc, F f) {
  detail::check_float(a, op, "a");
  detail::check_float(b, op, "b");
  Tensor out = make_tensor(bc.out);
  const float* x = a.data().data();
  const float* y = b.data().data();
  float* result = out.data().data();
  for_each_broadcast(bc, [&](int64_t i, int64_t ia, int64_t ib) { result[i] = f(x[ia], y[ib]); });
  return out;
}

// Sums `local(i, ia, ib) * grad_out[i]` into a gradient of the input's shape, through the
// input's strides (`pick` chooses ia or ib), and hands it to the input.
template <typename Local>
void backward_into(const Tensor& input, const Broadcast& bc, const Tensor& grad_out, bool is_a,
                   Local local) {
  if (!input.requires_grad()) return;
  Tensor grad = zeros(input.shape());
  float* g = grad.data().data();
  const float* go = grad_out.data().data();
  for_each_broadcast(
      bc, [&](int64_t i, int64_t ia, int64_t ib) { g[is_a ? ia : ib] += go[i] * local(ia, ib); });
  accumulate_grad(input, std::move(grad));
}

}  // namespace

Tensor add(const Tensor& a, const Tensor& b) {
  Broadcast bc = broadcast_shapes(a.shape(), b.shape(), "add");
  Tensor out = binary_forward(a, b, "add", bc, [](float x, float y) { return x + y; });
  if (any_requires_grad({&a, &b})) record_op(out, "add", add_backward, {a, b});
  return out;
}

// grad_a = grad_out, grad_b = grad_out (each summed over the dims it was stretched along)
void add_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  const Tensor& a = node.input(0);
  const Tensor& b = node.input(1);
  Broadcast bc = broadcast_shapes(a.shape(), b.shape(), "add");
  if (bc.same) {
    accumulate_grad(a, grad_out);
    accumulate_grad(b, grad_out);
    return;
  }
  backward_into(a, bc, grad_out, true, [](int64_t, int64_t) { return 1.0f; });
  backward_into(b, bc, grad_out, false, [](int64_t, int64_t) { return 1.0f; });
}

Tensor sub(const Tensor& a, const Tensor& b) {
  Broadcast bc = broadcast_shapes(a.shape(), b.shape(), "sub");
  Tensor out = binary_forward(a, b, "sub", bc, [](float x, float y) { return x - y; });
  if (any_requires_grad({&a, &b})) record_op(out, "sub", sub_backward, {a, b});
  return out;
}

// grad_a = grad_out, grad_b = -grad_out
void sub_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  const Tensor& a = node.input(0);
  const Tensor& b = node.input(1);
  Broadcast bc = broadcast_shapes(a.shape(), b.shape(), "sub");
  backward_into(a, bc, grad_out, true, [](int64_t, int64_t) { return 1.0f; });
  backward_into(b, bc, grad_out, false, [](int64_t, int64_t) { return -1.0f; });
}

Tensor mul(const Tensor& a, const Tensor& b) {
  Broadcast bc = broadcast_shapes(a.shape(), b.shape(), "mul");
  Tensor out = binary_forward(a, b, "mul", bc, [](float x, float y) { return x * y; });
  if (any_requires_grad({&a, &b})) record_op(out, "mul", mul_backward, {a, b});
  return out;
}

// grad_a = grad_out * b, grad_b = grad_out * a
void mul_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  const Tensor& a = node.input(0);
  const Tensor& b = node.input(1);
  Broadcast bc = broadcast_shapes(a.shape(), b.shape(), "mul");
  const float* x = a.data().data();
  const float* y = b.data().data();
  backward_into(a, bc, grad_out, true, [y](int64_t, int64_t ib) { return y[ib]; });
  backward_into(b, bc, grad_out, false, [x](int64_t ia, int64_t) { return x[ia]; });
}

Tensor div(const Tensor& a, const Tensor& b) {
  Broadcast bc = broadcast_shapes(a.shape(), b.shape(), "div");
  Tensor out = binary_forward(a, b, "div", bc, [](float x, float y) { return x / y; });
  if (any_requires_grad({&a, &b})) record_op(out, "div", div_backward, {a, b});
  return out;
}

// grad_a = grad_out / b, grad_b = -grad_out * a / b^2
void div_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  const Tensor& a = node.input(0);
  const Tensor& b = node.input(1);
  Broadcast bc = broadcast_shapes(a.shape(), b.shape(), "div");
  const float* x = a.data().data();
  const float* y = b.data().data();
  backward_into(a, bc, grad_out, true, [y](int64_t, int64_t ib) { return 1.0f / y[ib]; });
  backward_into(b, bc, grad_out, false,
                [x, y](int64_t ia, int64_t ib) { return -x[ia] / (y[ib] * y[ib]); });
}

Tensor operator+(const Tensor& a, const Tensor& b) {
  return add(a, b);
}
Tensor operator-(const Tensor& a, const Tensor& b) {
  return sub(a, b);
}
Tensor operator*(const Tensor& a, const Tensor& b) {
  return mul(a, b);
}
Tensor operator/(const Tensor& a, const Tensor& b) {
  return div(a, b);
}
Tensor operator+(const Tensor& a, float b) {
  return add(a, tensor(b));
}
Tensor operator+(float a, const Tensor& b) {
  return add(tensor(a), b);
}
Tensor operator-(const Tensor& a, float b) {
  return sub(a, tensor(b));
}
Tensor operator-(float a, const Tensor& b) {
  return sub(tensor(a), b);
}
Tensor operator*(const Tensor& a, float b) {
  return mul(a, tensor(b));
}
Tensor operator*(float a, const Tensor& b) {
  return mul(tensor(a), b);
}
Tensor operator/(const Tensor& a, float b) {
  return div(a, tensor(b));
}
Tensor operator/(float a, const Tensor& b) {
  return div(tensor(a), b);
}

}  // namespace embedlab
