// matmul: forward and backward. Vectors are treated as a (1, K) row on the left or a (K, 1)
// column on the right, then the result drops that dim again, as PyTorch does.
#include <fmt/format.h>

#include "autograd/backward.h"
#include "autograd/matmul_kernel.h"
#include "autograd/op_helpers.h"
#include "autograd/ops.h"

namespace embedlab {

namespace {

struct MatmulDims {
  int64_t M, K, N;
  Shape out;
};

MatmulDims matmul_dims(const Shape& a, const Shape& b) {
  if (a.rank() == 0 || b.rank() == 0) {
    throw ShapeError(
        fmt::format("matmul: both operands need rank 1 or 2, got shapes {} and {}; "
                    "use mul (*) to scale by a scalar",
                    a.to_string(), b.to_string()));
  }
  const int64_t M = a.rank() == 2 ? a[0] : 1, Ka = a[-1];
  const int64_t Kb = b[0], N = b.rank() == 2 ? b[1] : 1;
  if (Ka != Kb) {
    throw ShapeError(fmt::format("matmul: shapes {} and {} do not fit: inner sizes {} != {}",
                                 a.to_string(), b.to_string(), Ka, Kb));
  }
  Shape out = a.rank() == 2 ? (b.rank() == 2 ? Shape{M, N} : Shape{M})
                            : (b.rank() == 2 ? Shape{N} : Shape{});
  return {M, Ka, N, out};
}

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b) {
  detail::check_float(a, "matmul", "a");
  detail::check_float(b, "matmul", "b");
  const MatmulDims d = matmul_dims(a.shape(), b.shape());
  Tensor out = make_tensor(d.out);
  matmul_kernel(a.data().data(), b.data().data(), out.data().data(), d.M, d.K, d.N);
  if (any_requires_grad({&a, &b})) record_op(out, "matmul", matmul_backward, {a, b});
  return out;
}

// For out = a . b:  grad_a = grad_out . b^T   (M, N) . (N, K) -> (M, K)
//                   grad_b = a^T . grad_out   (K, M) . (M, N) -> (K, N)
void matmul_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  const Tensor& a = node.input(0);
  const Tensor& b = node.input(1);
  const MatmulDims d = matmul_dims(a.shape(), b.shape());
  // The transposes are not copied: the kernel reads b and a through Layout::Transposed.
  if (a.requires_grad()) {
    Tensor grad_a = make_tensor(a.shape());
    matmul_kernel(grad_out.data().data(), b.data().data(), grad_a.data().data(), d.M, d.N, d.K,
                  Layout::RowMajor, Layout::Transposed);
    accumulate_grad(a, std::move(grad_a));
  }
  if (b.requires_grad()) {
    Tensor grad_b = make_tensor(b.shape());
    matmul_kernel(a.data().data(), grad_out.data().data(), grad_b.data().data(), d.K, d.M, d.N,
                  Layout::Transposed, Layout::RowMajor);
    accumulate_grad(b, std::move(grad_b));
  }
}

}  // namespace embedlab
