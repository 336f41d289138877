// rowwise_dot, norm (whole and along a dim) and cosine_similarity: hand-computed values, the
// zero-vector cases (0, not NaN), keepdim shapes, shape and dim errors, and gradcheck.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "autograd/backward.h"
#include "autograd_test_utils.h"

using namespace embedlab;
using embedlab::test::Inputs;
using embedlab::test::require_values;

namespace {
// cosine_similarity's forward computed with other ops (rowwise_dot, sqrt, clamp), recording
// cosine_similarity_backward as its node: the tests of the backward (task 4.2) go through this,
// not through the forward (task 4.1), so a student's unfinished forward costs only task 4.1.
Tensor cosine_with_reference_forward(const Tensor& a, const Tensor& b, float eps = 1e-8f) {
  Tensor out;
  {
    NoGradGuard no_grad;
    const Tensor lengths = sqrt(rowwise_dot(a, a)) * sqrt(rowwise_dot(b, b));
    out = rowwise_dot(a, b) / clamp(lengths, eps, std::numeric_limits<float>::max());
  }
  if (a.requires_grad() || b.requires_grad()) {
    Node& node = record_op(out, "cosine_similarity", cosine_similarity_backward, {a, b});
    node.saved.eps = eps;
    node.saved.output = true;
  }
  return out;
}
}  // namespace

TEST_CASE("rowwise_dot gives one dot product per row", "[autograd][similarity]") {
  // [1*5 + 2*6, 3*7 + 4*8] = [17, 53]
  require_values(rowwise_dot(tensor({{1, 2}, {3, 4}}), tensor({{5, 6}, {7, 8}})), {2}, {17, 53});
  require_values(rowwise_dot(tensor({1, 2}), tensor({5, 6})), {}, {17});
  Tensor a = tensor({{1, 2}, {3, 4}}).requires_grad_();
  Tensor b = tensor({{5, 6}, {7, 8}}).requires_grad_();
  (rowwise_dot(a, b) * tensor({1, 2})).sum().backward();
  // grad_a[i] = w[i] * b[i]: [[5, 6], [14, 16]]; grad_b[i] = w[i] * a[i]: [[1, 2], [6, 8]]
  require_values(a.grad(), {2, 2}, {5, 6, 14, 16});
  require_values(b.grad(), {2, 2}, {1, 2, 6, 8});
  test::require_gradcheck([](const Inputs& in) { return rowwise_dot(in[0], in[1]); },
                          {test::random_input({3, 4}, 1), test::random_input({3, 4}, 2)});
}

TEST_CASE("similarity ops need equal shapes and a vector or matrix",
          "[autograd][similarity][errors]") {
  REQUIRE_THROWS_AS(rowwise_dot(zeros({2, 3}), zeros({3, 2})), ShapeError);
  REQUIRE_THROWS_WITH(rowwise_dot(zeros({2, 3}), zeros({3, 2})),
                      Catch::Contains("shapes (2, 3) and (3, 2) must be equal"));
  REQUIRE_THROWS_WITH(cosine_similarity(zeros({2}), zeros({3})),
                      Catch::Contains("cosine_similarity: shapes (2) and (3)"));
  REQUIRE_THROWS_WITH(rowwise_dot(tensor(1.0f), tensor(2.0f)),
                      Catch::Contains("rowwise_dot: needs a vector or a matrix"));
}

TEST_CASE("norm(x) is one number for any rank, as torch.norm", "[autograd][similarity][norm]") {
  // sqrt(3^2 + 4^2 + 0^2 + 0^2) = 5: the Frobenius norm of the matrix, a rank-0 tensor
  require_values(norm(tensor({{3, 4}, {0, 0}})), {}, {5});
  // sqrt(1 + 4 + 4 + 16) = sqrt(25) = 5 across both rows
  require_values(norm(tensor({{1, 2}, {2, 4}})), {}, {5});
  require_values(norm(tensor({3, 4})), {}, {5});
  require_values(norm(tensor(-2.0f)), {}, {2});  // a scalar's norm is |x|
  require_values(norm(zeros({0, 3})), {}, {0});  // no elements: 0, as in PyTorch
  // 1e20^2 overflows float, the double sum does not: sqrt(2) * 1e20
  require_values(norm(tensor({1e20f, 1e20f})), {}, {1.41421356e20f}, 1e14);
}

TEST_CASE("norm(x) has gradient x / norm(x), and 0 at an all-zero x",
          "[autograd][similarity][norm]") {
  Tensor x = tensor({{3, 4}, {0, 0}}).requires_grad_();
  norm(x).backward();
  // x / 5 = [[0.6, 0.8], [0, 0]]
  require_values(x.grad(), {2, 2}, {0.6f, 0.8f, 0, 0});
  Tensor zero = zeros({2, 2}).requires_grad_();
  norm(zero).backward();
  require_values(zero.grad(), {2, 2}, {0, 0, 0, 0});  // 0, not NaN
  test::require_gradcheck([](const Inputs& in) { return norm(in[0]); },
                          {test::random_input({3, 4}, 3)});
  test::require_gradcheck([](const Inputs& in) { return norm(in[0]); },
                          {test::random_input({5}, 4)});
  test::require_gradcheck([](const Inputs& in) { return norm(in[0]); },
                          {test::away_from_zero({}, 7)});
}

TEST_CASE("norm(x, dim) is the length along a dim", "[autograd][similarity][norm]") {
  const Tensor x = tensor({{3, 4}, {0, 0}, {1, 0}});
  SECTION("dim 1: one length per row; dim 0: one per column") {
    // rows: sqrt(9 + 16) = 5, 0, 1
    require_values(norm(x, 1), {3}, {5, 0, 1});
    require_values(norm(x, -1), {3}, {5, 0, 1});
    // columns: sqrt(9 + 0 + 1) = sqrt(10) = 3.162278, sqrt(16) = 4
    require_values(norm(x, 0), {2}, {3.162278f, 4});
    require_values(norm(tensor({3, 4}), 0), {}, {5});
  }
  SECTION("keepdim keeps the dim with size 1") {
    require_values(norm(x, 1, true), {3, 1}, {5, 0, 1});
    require_values(norm(x, 0, true), {1, 2}, {3.162278f, 4});
    require_values(norm(tensor({3, 4}), 0, true), {1}, {5});
  }
  SECTION("a missing dim names the dim and the shape") {
    REQUIRE_THROWS_AS(norm(x, 2), IndexError);
    REQUIRE_THROWS_WITH(norm(x, 2), Catch::Contains("norm: dim 2 is out of range") &&
                                        Catch::Contains("(3, 2)") &&
                                        Catch::Contains("valid dims: -2 to 1"));
    REQUIRE_THROWS_WITH(norm(x, -3), Catch::Contains("norm: dim -3"));
    REQUIRE_THROWS_WITH(norm(tensor(1.0f), 0), Catch::Contains("no dims"));
  }
}

TEST_CASE("norm(x, dim) has gradient x / length per row, 0 for a zero row",
          "[autograd][similarity][norm]") {
  Tensor x = tensor({{3, 4}, {0, 0}, {1, 0}}).requires_grad_();
  // d/dx (1 * |row 0| + 2 * |row 1| + 3 * |row 2|) = [[0.6, 0.8], [0, 0], [3, 0]]
  (norm(x, 1) * tensor({1, 2, 3})).sum().backward();
  require_values(x.grad(), {3, 2}, {0.6f, 0.8f, 0, 0, 3, 0});
  Tensor c = tensor({{3, 4}, {0, 0}, {1, 0}}).requires_grad_();
  // columns: |col 0| = sqrt(10), |col 1| = 4; grad = x / |col| = [[0.948683, 1], [0, 0],
  // [0.316228, 0]]
  norm(c, 0, true).sum().backward();
  require_values(c.grad(), {3, 2}, {0.948683f, 1, 0, 0, 0.316228f, 0});
  REQUIRE(norm(c, 0).grad_fn_name() == "norm_dim");
  for (int dim : {0, 1, -1}) {
    for (bool keepdim : {false, true}) {
      INFO("dim " << dim << ", keepdim " << keepdim);
      test::require_gradcheck([=](const Inputs& in) { return norm(in[0], dim, keepdim); },
                              {test::random_input({3, 4}, 5)});
    }
  }
  test::require_gradcheck([](const Inputs& in) { return norm(in[0], 0); },
                          {test::random_input({5}, 6)});
}

TEST_CASE("cosine_similarity of parallel, orthogonal and opposite rows is 1, 0 and -1",
          "[autograd][similarity][task4.1]") {
  const Tensor a = tensor({{1, 2}, {1, 0}, {1, 0}, {3, 4}});
  const Tensor b = tensor({{2, 4}, {0, 1}, {-1, 0}, {4, 3}});
  // (3*4 + 4*3) / (5 * 5) = 24 / 25 = 0.96
  require_values(cosine_similarity(a, b), {4}, {1, 0, -1, 0.96f});
  require_values(cosine_similarity(tensor({3, 4}), tensor({4, 3})), {}, {0.96f});
}

TEST_CASE("cosine_similarity with a zero vector is 0, not NaN", "[autograd][similarity][task4.1]") {
  REQUIRE(cosine_similarity(zeros({3}), tensor({1, 2, 3})).item() == 0.0f);
  REQUIRE(cosine_similarity(zeros({2}), zeros({2})).item() == 0.0f);
  // A zero row of a matrix gives 0 and leaves the other rows alone.
  require_values(cosine_similarity(tensor({{0, 0, 0}, {1, 0, 0}}), tensor({{1, 2, 3}, {2, 0, 0}})),
                 {2}, {0, 1}, 1e-6);
}

TEST_CASE("the backward of cosine_similarity is b/m - cos a/|a|^2, finite at a zero vector",
          "[autograd][similarity][task4.2]") {
  SECTION("hand-computed for a = (3, 4), b = (4, 3)") {
    Tensor a = tensor({3, 4}).requires_grad_();
    Tensor b = tensor({4, 3}).requires_grad_();
    cosine_with_reference_forward(a, b).backward();
    // m = 5 * 5 = 25, cos = 0.96: grad_a = (4, 3) / 25 - 0.96 (3, 4) / 25 = (0.0448, -0.0336)
    require_values(a.grad(), {2}, {0.0448f, -0.0336f});
    require_values(b.grad(), {2}, {-0.0336f, 0.0448f});  // the same with a and b swapped
  }
  SECTION("a zero vector gives finite gradients") {
    Tensor zero = zeros({3}).requires_grad_();
    Tensor other = tensor({1, 2, 3}).requires_grad_();
    cosine_with_reference_forward(zero, other).backward();
    REQUIRE(test::all_finite(zero.grad()));
    REQUIRE(test::all_finite(other.grad()));
    require_values(other.grad(), {3}, {0, 0, 0});  // zero / eps
  }
  SECTION("both zero, and one zero row of a matrix") {
    Tensor a = tensor({{0, 0, 0}, {1, 0, 0}}).requires_grad_();
    Tensor b = tensor({{1, 2, 3}, {2, 0, 0}}).requires_grad_();
    sum(cosine_with_reference_forward(a, b)).backward();
    REQUIRE(test::all_finite(a.grad()));
    REQUIRE(b.grad().at(0, 0) == 0.0f);  // b's gradient is a / eps = 0 in the zero row
    Tensor z = zeros({2}).requires_grad_();
    cosine_with_reference_forward(z, z).backward();
    REQUIRE(test::all_finite(z.grad()));
  }
}

TEST_CASE("cosine_similarity_backward passes gradcheck",
          "[autograd][similarity][gradcheck][task4.2]") {
  auto f = [](const Inputs& in) { return cosine_with_reference_forward(in[0], in[1]); };
  test::require_gradcheck(f, {test::random_input({3, 4}, 5), test::random_input({3, 4}, 6)});
  test::require_gradcheck(f, {test::random_input({6}, 7), test::random_input({6}, 8)});
}
