// sum, mean, max, argmax, softmax and log_softmax: values along every axis with and without
// keepdim, gradients, gradcheck, and numerical stability at logits of +-1e4.
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

TEST_CASE("sum adds all elements or those along an axis", "[autograd][reduce]") {
  const Tensor x = matrix_x();
  require_values(sum(x), {}, {21});                   // 1 + 2 + ... + 6
  require_values(x.sum(0), {3}, {5, 7, 9});           // columns: 1+4, 2+5, 3+6
  require_values(x.sum(1), {2}, {6, 15});             // rows: 1+2+3, 4+5+6
  require_values(x.sum(-1), {2}, {6, 15});            // -1 is the last axis
  require_values(x.sum(0, true), {1, 3}, {5, 7, 9});  // keepdim keeps a size-1 axis
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
  for (int axis : {0, 1, -1}) {
    for (bool keepdim : {false, true}) {
      INFO("axis " << axis << ", keepdim " << keepdim);
      test::require_gradcheck([=](const Inputs& in) { return sum(in[0], axis, keepdim); },
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

TEST_CASE("mean of an empty tensor and a reduction along a missing axis are errors",
          "[autograd][reduce][errors]") {
  REQUIRE_THROWS_AS(mean(zeros({0})), ValueError);
  REQUIRE_THROWS_WITH(mean(zeros({0})), Catch::Contains("empty"));
  REQUIRE_THROWS_AS(mean(zeros({0, 3}), 0), ValueError);
  REQUIRE_THROWS_AS(sum(zeros({2, 3}), 2), IndexError);
  REQUIRE_THROWS_WITH(sum(zeros({2, 3}), 2), Catch::Contains("sum: axis 2 out of range"));
  REQUIRE_THROWS_WITH(max(zeros({0})), Catch::Contains("max: the tensor is empty"));
}

TEST_CASE("max finds the largest element, along an axis too", "[autograd][reduce]") {
  const Tensor y = tensor({{1, 9, 3}, {4, 5, 6}});
  require_values(max(y), {}, {9});
  require_values(max(y, 0), {3}, {4, 9, 6});  // max of each column
  require_values(max(y, 1), {2}, {9, 6});     // max of each row
  require_values(max(y, 1, true), {2, 1}, {9, 6});
  require_values(max(y, 0, true), {1, 3}, {4, 9, 6});
  Tensor positions = argmax(y, 1);
  REQUIRE(positions.dtype() == DType::Int64);
  REQUIRE(positions.ids()[0] == 1);
  REQUIRE(positions.ids()[1] == 2);
  REQUIRE(argmax(y, 0).ids()[0] == 1);
}

TEST_CASE("max and argmax treat NaN as the largest value, as PyTorch does", "[autograd][reduce]") {
  const float nan = std::nanf("");
  REQUIRE(std::isnan(max(tensor({1.0f, nan, 3.0f})).item()));
  const Tensor y = tensor({{1.0f, nan, 3.0f}, {nan, 5.0f, nan}});
  REQUIRE(argmax(y, 1).ids()[0] == 1);
  REQUIRE(argmax(y, 1).ids()[1] == 0);  // the first NaN
  REQUIRE(std::isnan(max(y, 1).at(0)));
  REQUIRE(argmax(y, 0).ids()[2] == 1);
}

TEST_CASE("the max gradient goes to the first largest element only", "[autograd][reduce]") {
  Tensor x = tensor({3, 7, 7}).requires_grad_();
  max(x).backward();
  require_values(x.grad(), {3}, {0, 1, 0});
  Tensor y = tensor({{1, 9, 3}, {4, 5, 6}}).requires_grad_();
  max(y, 1).sum().backward();
  require_values(y.grad(), {2, 3}, {0, 1, 0, 0, 0, 1});
}

TEST_CASE("max passes gradcheck when no two elements are close", "[autograd][reduce][gradcheck]") {
  test::require_gradcheck([](const Inputs& in) { return max(in[0]); },
                          {test::spaced_input({3, 4}, 6)});
  for (int axis : {0, 1}) {
    for (bool keepdim : {false, true}) {
      INFO("axis " << axis << ", keepdim " << keepdim);
      test::require_gradcheck([=](const Inputs& in) { return max(in[0], axis, keepdim); },
                              {test::spaced_input({3, 4}, 7)});
    }
  }
}

TEST_CASE("softmax of 1, 2, 3 is e^x / sum(e^x)", "[autograd][reduce][softmax]") {
  // e^1, e^2, e^3 = 2.718282, 7.389056, 20.085537; their sum is 30.192875
  require_values(softmax(tensor({1, 2, 3})), {3}, {0.090031f, 0.244728f, 0.665241f});
  // log(30.192875) = 3.407606, so log_softmax = x - 3.407606
  require_values(log_softmax(tensor({1, 2, 3})), {3}, {-2.407606f, -1.407606f, -0.407606f});
}

TEST_CASE("softmax rows sum to 1, along either axis", "[autograd][reduce][softmax]") {
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

TEST_CASE("softmax and log_softmax pass gradcheck along both axes",
          "[autograd][reduce][softmax][gradcheck]") {
  for (int axis : {0, 1, -1}) {
    INFO("axis " << axis);
    test::require_gradcheck([=](const Inputs& in) { return softmax(in[0], axis); },
                            {test::random_input({3, 4}, 9)});
    test::require_gradcheck([=](const Inputs& in) { return log_softmax(in[0], axis); },
                            {test::random_input({3, 4}, 10)});
  }
  test::require_gradcheck([](const Inputs& in) { return log_softmax(in[0]); },
                          {test::random_input({6}, 11)});
}
