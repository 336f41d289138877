// matmul in its four rank cases (vector . vector, matrix . vector, vector . matrix,
// matrix . matrix): hand-computed values, hand-computed and finite-difference gradients, the
// blocked kernel against a plain triple loop, and the inner-size error.
#include <catch2/catch.hpp>

#include "autograd_test_utils.h"

using namespace embedlab;
using embedlab::test::Inputs;
using embedlab::test::require_values;

namespace {
Tensor matmul_of_inputs(const Inputs& in) {
  return matmul(in[0], in[1]);
}
}  // namespace

TEST_CASE("vector . vector is the dot product, a scalar", "[autograd][matmul]") {
  // 1*4 + 2*5 + 3*6 = 32
  require_values(matmul(tensor({1, 2, 3}), tensor({4, 5, 6})), {}, {32});
  test::require_gradcheck(matmul_of_inputs,
                          {test::random_input({5}, 1), test::random_input({5}, 2)});
}

TEST_CASE("matrix . vector gives one dot product per row", "[autograd][matmul]") {
  // [1*5 + 2*6, 3*5 + 4*6] = [17, 39]
  require_values(matmul(tensor({{1, 2}, {3, 4}}), tensor({5, 6})), {2}, {17, 39});
  test::require_gradcheck(matmul_of_inputs,
                          {test::random_input({3, 4}, 3), test::random_input({4}, 4)});
}

TEST_CASE("vector . matrix gives one dot product per column", "[autograd][matmul]") {
  // [5*1 + 6*3, 5*2 + 6*4] = [23, 34]
  require_values(matmul(tensor({5, 6}), tensor({{1, 2}, {3, 4}})), {2}, {23, 34});
  test::require_gradcheck(matmul_of_inputs,
                          {test::random_input({4}, 5), test::random_input({4, 3}, 6)});
}

TEST_CASE("matrix . matrix is the matrix product", "[autograd][matmul]") {
  // [[1*5 + 2*7, 1*6 + 2*8], [3*5 + 4*7, 3*6 + 4*8]] = [[19, 22], [43, 50]]
  require_values(matmul(tensor({{1, 2}, {3, 4}}), tensor({{5, 6}, {7, 8}})), {2, 2},
                 {19, 22, 43, 50});
  require_values(tensor({{1, 2}, {3, 4}}).matmul(tensor({{1, 0}, {0, 1}})), {2, 2}, {1, 2, 3, 4});
  test::require_gradcheck(matmul_of_inputs,
                          {test::random_input({2, 3}, 7), test::random_input({3, 5}, 8)});
}

TEST_CASE("matmul gradients are grad_out . b^T and a^T . grad_out", "[autograd][matmul]") {
  Tensor a = tensor({{1, 2}, {3, 4}}).requires_grad_();
  Tensor b = tensor({{5, 6}, {7, 8}}).requires_grad_();
  matmul(a, b).sum().backward();
  // grad_a[i, k] = sum_j b[k, j]: row sums of b = [5 + 6, 7 + 8] = [11, 15] in every row
  require_values(a.grad(), {2, 2}, {11, 15, 11, 15});
  // grad_b[k, j] = sum_i a[i, k]: column sums of a = [1 + 3, 2 + 4] = [4, 6] in every column
  require_values(b.grad(), {2, 2}, {4, 4, 6, 6});
}

TEST_CASE("only the operand that requires grad gets a gradient", "[autograd][matmul]") {
  Tensor a = tensor({{1, 2}, {3, 4}});
  Tensor b = tensor({{5, 6}, {7, 8}}).requires_grad_();
  matmul(a, b).sum().backward();
  REQUIRE_FALSE(a.grad().defined());
  require_values(b.grad(), {2, 2}, {4, 4, 6, 6});
}

TEST_CASE("the blocked kernel equals a plain triple loop across block edges",
          "[autograd][matmul]") {
  // 130 and 300 cross the kernel's 128-row and 256-column blocks.
  Generator g(9);
  const int64_t M = 7, K = 130, N = 300;
  const Tensor a = randn({M, K}, g), b = randn({K, N}, g);
  const Tensor c = matmul(a, b);
  REQUIRE(c.shape() == Shape{M, N});
  for (int64_t i = 0; i < M; ++i) {
    for (int64_t j = 0; j < N; ++j) {
      double expected = 0.0;
      for (int64_t k = 0; k < K; ++k)
        expected += double(a.at(i, k)) * b.at(k, j);
      REQUIRE(c.at(i, j) == Approx(expected).margin(1e-3));
    }
  }
}

TEST_CASE("matmul with different inner sizes names both shapes", "[autograd][matmul][errors]") {
  REQUIRE_THROWS_AS(matmul(zeros({2, 3}), zeros({2, 3})), ShapeError);
  REQUIRE_THROWS_WITH(matmul(zeros({2, 3}), zeros({2, 3})),
                      Catch::Contains("matmul: shapes (2, 3) and (2, 3) do not fit: inner sizes "
                                      "3 != 2"));
  REQUIRE_THROWS_WITH(matmul(zeros({3}), zeros({4})), Catch::Contains("inner sizes 3 != 4"));
  REQUIRE_THROWS_WITH(matmul(zeros({2, 3}), zeros({2})), Catch::Contains("(2, 3) and (2)"));
}

TEST_CASE("matmul with a scalar operand points to mul", "[autograd][matmul][errors]") {
  REQUIRE_THROWS_AS(matmul(tensor(2.0f), zeros({2})), ShapeError);
  REQUIRE_THROWS_WITH(matmul(zeros({2}), tensor(2.0f)),
                      Catch::Contains("rank 1 or 2") && Catch::Contains("mul"));
  REQUIRE_THROWS_AS(matmul(tensor({1, 2}, DType::Int64), zeros({2})), TypeError);
}
