// rowwise_dot, norm and cosine_similarity: hand-computed values, the zero-vector cases
// (0, not NaN), shape errors and gradcheck.
#include <catch2/catch.hpp>

#include <cmath>

#include "autograd_test_utils.h"

using namespace embedlab;
using embedlab::test::Inputs;
using embedlab::test::require_values;

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
  REQUIRE_THROWS_WITH(norm(tensor(1.0f)), Catch::Contains("norm: needs a vector or a matrix"));
}

TEST_CASE("norm is the Euclidean length of each row", "[autograd][similarity]") {
  // sqrt(3^2 + 4^2) = 5; a zero row has length 0
  require_values(norm(tensor({{3, 4}, {0, 0}})), {2}, {5, 0});
  require_values(norm(tensor({3, 4})), {}, {5});
  Tensor x = tensor({{3, 4}, {0, 0}}).requires_grad_();
  norm(x).sum().backward();
  // x / |x| = [0.6, 0.8]; the zero row gets 0, not NaN
  require_values(x.grad(), {2, 2}, {0.6f, 0.8f, 0, 0});
  test::require_gradcheck([](const Inputs& in) { return norm(in[0]); },
                          {test::random_input({3, 4}, 3)});
  test::require_gradcheck([](const Inputs& in) { return norm(in[0]); },
                          {test::random_input({5}, 4)});
}

TEST_CASE("cosine_similarity of parallel, orthogonal and opposite rows is 1, 0 and -1",
          "[autograd][similarity]") {
  const Tensor a = tensor({{1, 2}, {1, 0}, {1, 0}, {3, 4}});
  const Tensor b = tensor({{2, 4}, {0, 1}, {-1, 0}, {4, 3}});
  // (3*4 + 4*3) / (5 * 5) = 24 / 25 = 0.96
  require_values(cosine_similarity(a, b), {4}, {1, 0, -1, 0.96f});
  require_values(cosine_similarity(tensor({3, 4}), tensor({4, 3})), {}, {0.96f});
}

TEST_CASE("cosine_similarity with a zero vector is 0, not NaN, with finite gradients",
          "[autograd][similarity]") {
  Tensor zero = zeros({3}).requires_grad_();
  Tensor other = tensor({1, 2, 3}).requires_grad_();
  Tensor cos = cosine_similarity(zero, other);
  REQUIRE(cos.item() == 0.0f);
  cos.backward();
  REQUIRE(test::all_finite(zero.grad()));
  REQUIRE(test::all_finite(other.grad()));
  REQUIRE(cosine_similarity(zeros({2}), zeros({2})).item() == 0.0f);
}

TEST_CASE("cosine_similarity passes gradcheck", "[autograd][similarity][gradcheck]") {
  test::require_gradcheck([](const Inputs& in) { return cosine_similarity(in[0], in[1]); },
                          {test::random_input({3, 4}, 5), test::random_input({3, 4}, 6)});
  test::require_gradcheck([](const Inputs& in) { return cosine_similarity(in[0], in[1]); },
                          {test::random_input({6}, 7), test::random_input({6}, 8)});
}
