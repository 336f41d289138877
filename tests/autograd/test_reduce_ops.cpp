// sum, mean, max, min, argmax, softmax and log_softmax: values along every dim with and without
// keepdim, max/min's values and indices, ties, gradients, gradcheck, and numerical stability at
// logits of +-1e4.
#include <catch2/catch.hpp>

#include <cmath>

#include "autograd_test_utils.h"

using namespace embedlab;
using embedlab::test::Inputs;
using embedlab::test::require_values;

namespace {
// x = [[1, 2, 3], [4, 5, 6]]
Tensor matrix_x() {
  return tensor({{1, 2, 3}, {4, 5, 6}});
}
}  // namespace

TEST_CASE("sum adds all elements or those along a dim", "[autograd][reduce]") {
  const Tensor x = matrix_x();
  require_values(sum(x), {}, {21});                   // 1 + 2 + ... + 6
  require_values(x.sum(0), {3}, {5, 7, 9});           // columns: 1+4, 2+5, 3+6
  require_values(x.sum(1), {2}, {6, 15});             // rows: 1+2+3, 4+5+6
  require_values(x.sum(-1), {2}, {6, 15});            // -1 is the last dim
  require_values(x.sum(0, true), {1, 3}, {5, 7, 9});  // keepdim keeps a size-1 dim
  require_values(x.sum(1, true), {2, 1}, {6, 15});
  require_values(tensor({1, 2, 3}).sum(0), {}, {6});
  require_values(tensor({1, 2, 3}).sum(0, true), {1}, {6});
}

TEST_CASE("sum gives every element the gradient of its sum", "[autograd][reduce]") {
  Tensor x = matrix_x().requires_grad_();
  // d/dx sum_c (c + 1) * colsum[c] = [1, 2, 3] in every row
  (x.sum(0) * tensor({1, 2, 3})).sum().backward();
  require_values(x.grad(), {2, 3}, {1, 2, 3, 1, 2, 3});
  test::require_gradcheck([](const Inputs& in) { return sum(in[0]); },
                          {test::random_input({3, 4}, 1)});
  for (int dim : {0, 1, -1}) {
    for (bool keepdim : {false, true}) {
      INFO("dim " << dim << ", keepdim " << keepdim);
      test::require_gradcheck([=](const Inputs& in) { return sum(in[0], dim, keepdim); },
                              {test::random_input({3, 4}, 2)});
    }
  }
}

TEST_CASE("mean divides the sum by the count", "[autograd][reduce]") {
  const Tensor x = matrix_x();
  require_values(mean(x), {}, {3.5f});                 // 21 / 6
  require_values(x.mean(0), {3}, {2.5f, 3.5f, 4.5f});  // (1+4)/2, (2+5)/2, (3+6)/2
  require_values(x.mean(1), {2}, {2, 5});              // 6/3, 15/3
  require_values(x.mean(1, true), {2, 1}, {2, 5});
  Tensor w = matrix_x().requires_grad_();
  w.mean().backward();
  require_values(w.grad(), {2, 3}, {1 / 6.0f, 1 / 6.0f, 1 / 6.0f, 1 / 6.0f, 1 / 6.0f, 1 / 6.0f});
  test::require_gradcheck([](const Inputs& in) { return mean(in[0]); },
                          {test::random_input({3, 4}, 3)});
  test::require_gradcheck([](const Inputs& in) { return mean(in[0], 0, true); },
                          {test::random_input({3, 4}, 4)});
  test::require_gradcheck([](const Inputs& in) { return mean(in[0], -1); },
                          {test::random_input({3, 4}, 5)});
}

TEST_CASE("mean of an empty tensor and a reduction along a missing dim are errors",
          "[autograd][reduce][errors]") {
  REQUIRE_THROWS_AS(mean(zeros({0})), ValueError);
  REQUIRE_THROWS_WITH(mean(zeros({0})), Catch::Contains("empty"));
  REQUIRE_THROWS_AS(mean(zeros({0, 3}), 0), ValueError);
  REQUIRE_THROWS_WITH(mean(zeros({0, 3}), 0), Catch::Contains("mean: dim 0 of shape (0, 3)"));
  REQUIRE_THROWS_AS(sum(zeros({2, 3}), 2), IndexError);
  REQUIRE_THROWS_WITH(sum(zeros({2, 3}), 2),
                      Catch::Contains("sum: dim 2 is out of range for a rank-2 tensor") &&
                          Catch::Contains("(2, 3)") && Catch::Contains("valid dims: -2 to 1"));
  REQUIRE_THROWS_WITH(mean(zeros({4}), -2),
                      Catch::Contains("mean: dim -2 is out of range for a rank-1 tensor"));
  REQUIRE_THROWS_WITH(max(zeros({0})), Catch::Contains("max: the tensor of shape (0) is empty"));
  REQUIRE_THROWS_WITH(min(zeros({0})), Catch::Contains("min: the tensor of shape (0) is empty"));
}

TEST_CASE("max and min find the largest and smallest element", "[autograd][reduce]") {
  const Tensor y = tensor({{1, 9, 3}, {4, 5, 6}});
  require_values(max(y), {}, {9});
  require_values(min(y), {}, {1});
  require_values(max(tensor(2.5f)), {}, {2.5f});  // a scalar is its own max
  require_values(min(tensor({4, -2, 7})), {}, {-2});
}

TEST_CASE("max and min along a dim give the values and their int64 indices", "[autograd][reduce]") {
  const Tensor y = tensor({{1, 9, 3}, {4, 5, 6}});
  SECTION("along dim 1 (each row) and dim 0 (each column), unpacked as in PyTorch") {
    auto [row_max, row_argmax] = max(y, 1);
    require_values(row_max, {2}, {9, 6});  // max of [1, 9, 3] at 1, of [4, 5, 6] at 2
    REQUIRE(row_argmax.dtype() == DType::Int64);
    REQUIRE(row_argmax.shape() == Shape{2});
    CHECK(row_argmax.id_at(0) == 1);
    CHECK(row_argmax.id_at(1) == 2);
    auto [column_min, column_argmin] = min(y, 0);
    require_values(column_min, {3}, {1, 5, 3});  // min(1, 4), min(9, 5), min(3, 6)
    CHECK(column_argmin.id_at(0) == 0);
    CHECK(column_argmin.id_at(1) == 1);
    CHECK(column_argmin.id_at(2) == 0);
    require_values(max(y, 0).values, {3}, {4, 9, 6});
    require_values(min(y, -1).values, {2}, {1, 4});  // -1 is the last dim
  }
  SECTION("keepdim keeps the dim with size 1 in both values and indices") {
    const ValuesIndices rows = max(y, 1, true);
    require_values(rows.values, {2, 1}, {9, 6});
    REQUIRE(rows.indices.shape() == Shape{2, 1});
    const ValuesIndices columns = min(y, 0, true);
    require_values(columns.values, {1, 3}, {1, 5, 3});
    REQUIRE(columns.indices.shape() == Shape{1, 3});
    const ValuesIndices whole = max(tensor({2, 8, 5}), 0, true);
    require_values(whole.values, {1}, {8});
    REQUIRE(whole.indices.id_at(0) == 1);
    REQUIRE(max(tensor({2, 8, 5}), 0).values.shape() == Shape{});
  }
  SECTION("argmax gives the same indices as max") {
    REQUIRE(argmax(y, 1).id_at(0) == 1);
    REQUIRE(argmax(y, 1).id_at(1) == 2);
    REQUIRE(argmax(y, 0).id_at(0) == 1);
    REQUIRE(argmax(y, 0).dtype() == DType::Int64);
  }
  SECTION("a missing or empty dim is an error naming the dim and the shape") {
    REQUIRE_THROWS_AS(max(y, 2), IndexError);
    REQUIRE_THROWS_WITH(max(y, 2),
                        Catch::Contains("max: dim 2 is out of range") && Catch::Contains("(2, 3)"));
    REQUIRE_THROWS_WITH(min(y, -3), Catch::Contains("min: dim -3 is out of range"));
    REQUIRE_THROWS_WITH(argmax(y, 5), Catch::Contains("argmax: dim 5 is out of range"));
    REQUIRE_THROWS_WITH(max(tensor(1.0f), 0),
                        Catch::Contains("rank-0 tensor") && Catch::Contains("no dims"));
    REQUIRE_THROWS_AS(min(zeros({2, 0}), 1), ValueError);
    REQUIRE_THROWS_WITH(min(zeros({2, 0}), 1),
                        Catch::Contains("min: dim 1 of shape (2, 0) has size 0"));
  }
}

TEST_CASE("max and min pick the first of equal elements", "[autograd][reduce]") {
  // Rows [7, 3, 7] and [2, 2, 5]: the largest 7 first sits at 0, the smallest 2 at 0.
  const Tensor y = tensor({{7, 3, 7}, {2, 2, 5}});
  CHECK(max(y, 1).indices.id_at(0) == 0);
  CHECK(min(y, 1).indices.id_at(1) == 0);
  CHECK(argmax(tensor({1, 4, 4, 4}), 0).id_at(0) == 1);
  // Column 0 of [[1, 0], [1, 3]] is [1, 1]: equal values, so min takes row 0.
  CHECK(min(tensor({{1, 0}, {1, 3}}), 0).indices.id_at(0) == 0);
  // ... and the gradient follows the index: only the first 7 of each row gets it
  Tensor t = tensor({{7, 3, 7}, {7, 7, 1}}).requires_grad_();
  max(t, 1).values.sum().backward();
  require_values(t.grad(), {2, 3}, {1, 0, 0, 1, 0, 0});
}

TEST_CASE("max, min and argmax treat NaN as beyond every number, as PyTorch does",
          "[autograd][reduce]") {
  const float nan = std::nanf("");
  REQUIRE(std::isnan(max(tensor({1.0f, nan, 3.0f})).item()));
  REQUIRE(std::isnan(min(tensor({1.0f, nan, -3.0f})).item()));
  const Tensor y = tensor({{1.0f, nan, 3.0f}, {nan, 5.0f, nan}});
  REQUIRE(argmax(y, 1).id_at(0) == 1);
  REQUIRE(argmax(y, 1).id_at(1) == 0);  // the first NaN
  REQUIRE(std::isnan(max(y, 1).values.at(0)));
  REQUIRE(argmax(y, 0).id_at(2) == 1);
  REQUIRE(min(y, 1).indices.id_at(0) == 1);
  REQUIRE(std::isnan(min(y, 0).values.at(0)));
}

TEST_CASE("the max and min gradients go to the chosen element only", "[autograd][reduce]") {
  SECTION("over all elements: the first largest (smallest) one") {
    Tensor x = tensor({3, 7, 7}).requires_grad_();
    max(x).backward();
    require_values(x.grad(), {3}, {0, 1, 0});
    Tensor z = tensor({3, 1, 1}).requires_grad_();
    min(z).backward();
    require_values(z.grad(), {3}, {0, 1, 0});
  }
  SECTION("along a dim: the element each index names gets its value's gradient") {
    Tensor y = tensor({{1, 9, 3}, {4, 5, 6}}).requires_grad_();
    // d/dy (1 * max(row 0) + 2 * max(row 1)): 1 at (0, 1), 2 at (1, 2)
    (max(y, 1).values * tensor({1, 2})).sum().backward();
    require_values(y.grad(), {2, 3}, {0, 1, 0, 0, 0, 2});
    Tensor w = tensor({{1, 9, 3}, {4, 5, 6}}).requires_grad_();
    // column minima 1, 5, 3 sit at rows 0, 1, 0; keepdim does not change where they go
    (min(w, 0, true).values * tensor({{1, 2, 3}})).sum().backward();
    require_values(w.grad(), {2, 3}, {1, 0, 3, 0, 2, 0});
    REQUIRE(max(y, 1).values.grad_fn_name() == "max_dim");
    REQUIRE(min(y, 1).values.grad_fn_name() == "min_dim");
    REQUIRE_FALSE(max(y, 1).indices.requires_grad());
  }
  SECTION("one node used twice adds both gradients") {
    Tensor v = tensor({2, 5, 1}).requires_grad_();
    const Tensor m = max(v, 0).values;
    (m * m).backward();  // d(m^2)/dv = 2 m = 10 at the largest element
    require_values(v.grad(), {3}, {0, 10, 0});
  }
}

TEST_CASE("max and min pass gradcheck when no two elements are close",
          "[autograd][reduce][gradcheck]") {
  test::require_gradcheck([](const Inputs& in) { return max(in[0]); },
                          {test::spaced_input({3, 4}, 6)});
  test::require_gradcheck([](const Inputs& in) { return min(in[0]); },
                          {test::spaced_input({3, 4}, 12)});
  for (int dim : {0, 1, -1}) {
    for (bool keepdim : {false, true}) {
      INFO("dim " << dim << ", keepdim " << keepdim);
      test::require_gradcheck([=](const Inputs& in) { return max(in[0], dim, keepdim).values; },
                              {test::spaced_input({3, 4}, 7)});
      test::require_gradcheck([=](const Inputs& in) { return min(in[0], dim, keepdim).values; },
                              {test::spaced_input({3, 4}, 13)});
    }
  }
}

TEST_CASE("softmax of 1, 2, 3 is e^x / sum(e^x)", "[autograd][reduce][softmax]") {
  // e^1, e^2, e^3 = 2.718282, 7.389056, 20.085537; their sum is 30.192875
  require_values(softmax(tensor({1, 2, 3})), {3}, {0.090031f, 0.244728f, 0.665241f});
  // log(30.192875) = 3.407606, so log_softmax = x - 3.407606
  require_values(log_softmax(tensor({1, 2, 3})), {3}, {-2.407606f, -1.407606f, -0.407606f});
}

TEST_CASE("softmax rows sum to 1, along either dim", "[autograd][reduce][softmax]") {
  Generator g(8);
  const Tensor logits = randn({4, 5}, g) * 3.0f;
  const Tensor rows = softmax(logits);
  for (int64_t r = 0; r < 4; ++r) {
    float total = 0.0f;
    for (int64_t c = 0; c < 5; ++c)
      total += rows.at(r, c);
    REQUIRE(total == Approx(1.0f).margin(1e-5));
  }
  const Tensor columns = softmax(logits, 0);
  require_values(columns.sum(0), {5}, {1, 1, 1, 1, 1});
  require_values(exp(log_softmax(logits)).sum(1), {4}, {1, 1, 1, 1});
}

TEST_CASE("softmax and log_softmax stay finite for logits of +-1e4",
          "[autograd][reduce][softmax]") {
  Tensor logits = tensor({{1e4f, 0.0f}, {-1e4f, 1e4f}, {-1e4f, -1e4f}}).requires_grad_();
  const Tensor p = softmax(logits);
  const Tensor logp = log_softmax(logits);
  REQUIRE(test::all_finite(p));
  REQUIRE(test::all_finite(logp));
  // log_softmax([1e4, 0]) = [1e4 - 1e4 - log(1 + e^-1e4), 0 - 1e4 - log(1)] = [0, -1e4]
  REQUIRE(logp.at(0, 0) == Approx(0.0f).margin(1e-5));
  REQUIRE(logp.at(0, 1) == Approx(-1e4f).margin(1e-2));
  REQUIRE(p.at(0, 0) == Approx(1.0f).margin(1e-6));
  REQUIRE(p.at(1, 0) == Approx(0.0f).margin(1e-6));
  REQUIRE(p.at(2, 0) == Approx(0.5f).margin(1e-6));  // equal logits share evenly
  (p.sum() + logp.sum()).backward();
  REQUIRE(test::all_finite(logits.grad()));
}

TEST_CASE("softmax and log_softmax pass gradcheck along both dims",
          "[autograd][reduce][softmax][gradcheck]") {
  for (int dim : {0, 1, -1}) {
    INFO("dim " << dim);
    test::require_gradcheck([=](const Inputs& in) { return softmax(in[0], dim); },
                            {test::random_input({3, 4}, 9)});
    test::require_gradcheck([=](const Inputs& in) { return log_softmax(in[0], dim); },
                            {test::random_input({3, 4}, 10)});
  }
  test::require_gradcheck([](const Inputs& in) { return log_softmax(in[0]); },
                          {test::random_input({6}, 11)});
}
