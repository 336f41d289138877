// neg, pow, exp, log, sqrt, abs, clamp, tanh, sigmoid and relu: hand-computed values and
// derivatives, gradcheck away from kinks and poles, and finiteness at extreme inputs.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "autograd_test_utils.h"

using namespace embedlab;
using embedlab::test::Inputs;
using embedlab::test::require_values;

TEST_CASE("neg flips the sign and its gradient is -1", "[autograd][unary]") {
  Tensor x = tensor({-2.0f, 0.5f, 3.0f}).requires_grad_();
  Tensor y = neg(x);
  require_values(y, {3}, {2, -0.5f, -3});
  require_values(-x, {3}, {2, -0.5f, -3});
  y.sum().backward();
  require_values(x.grad(), {3}, {-1, -1, -1});
  test::require_gradcheck([](const Inputs& in) { return neg(in[0]); },
                          {test::random_input({2, 3}, 1)});
}

TEST_CASE("pow raises each element and its gradient is p x^(p-1)", "[autograd][unary]") {
  Tensor x = tensor({-2.0f, 0.5f, 2.0f}).requires_grad_();
  // (-2)^3 = -8, 0.5^3 = 0.125, 2^3 = 8
  Tensor y = pow(x, 3.0f);
  require_values(y, {3}, {-8, 0.125f, 8});
  y.sum().backward();
  // 3 x^2 = [12, 0.75, 12]
  require_values(x.grad(), {3}, {12, 0.75f, 12});
  // sqrt via pow: 4^0.5 = 2, 9^0.5 = 3
  require_values(tensor({4.0f, 9.0f}).pow(0.5f), {2}, {2, 3});
  test::require_gradcheck([](const Inputs& in) { return pow(in[0], 2.5f); },
                          {test::positive_input({2, 3}, 2)});
  test::require_gradcheck([](const Inputs& in) { return pow(in[0], 3.0f); },
                          {test::random_input({5}, 3)});
}

TEST_CASE("exp of 0, 1 and -1 is 1, e and 1/e, and is its own derivative", "[autograd][unary]") {
  Tensor x = tensor({0.0f, 1.0f, -1.0f}).requires_grad_();
  Tensor y = exp(x);
  require_values(y, {3}, {1.0f, 2.718282f, 0.367879f});
  y.sum().backward();
  require_values(x.grad(), {3}, {1.0f, 2.718282f, 0.367879f});
  require_values(x.exp(), {3}, {1.0f, 2.718282f, 0.367879f});
  test::require_gradcheck([](const Inputs& in) { return exp(in[0]); },
                          {test::random_input({3, 2}, 4)});
}

TEST_CASE("log of 1, e and 10 is 0, 1 and 2.302585, with gradient 1/x", "[autograd][unary]") {
  Tensor x = tensor({1.0f, 2.718282f, 10.0f}).requires_grad_();
  Tensor y = log(x);
  require_values(y, {3}, {0.0f, 1.0f, 2.302585f});
  y.sum().backward();
  // 1/x = [1, 0.367879, 0.1]
  require_values(x.grad(), {3}, {1.0f, 0.367879f, 0.1f});
  SECTION("log(0) is -inf and log(-1) is nan, as in PyTorch") {
    Tensor z = tensor({0.0f, -1.0f}).log();
    REQUIRE(z.at(0) == -std::numeric_limits<float>::infinity());
    REQUIRE(std::isnan(z.at(1)));
  }
  test::require_gradcheck([](const Inputs& in) { return log(in[0]); },
                          {test::positive_input({2, 3}, 5)});
}

TEST_CASE("sqrt of 4 and 2.25 is 2 and 1.5, with gradient 1/(2 sqrt x)", "[autograd][unary]") {
  Tensor x = tensor({4.0f, 2.25f}).requires_grad_();
  Tensor y = sqrt(x);
  require_values(y, {2}, {2.0f, 1.5f});
  y.sum().backward();
  // 1 / (2 * 2) = 0.25, 1 / (2 * 1.5) = 0.333333
  require_values(x.grad(), {2}, {0.25f, 0.333333f});
  test::require_gradcheck([](const Inputs& in) { return sqrt(in[0]); },
                          {test::positive_input({4}, 6)});
}

TEST_CASE("abs has gradient sign(x), taken as 0 at 0", "[autograd][unary][task1.2]") {
  Tensor x = tensor({-2.0f, -0.5f, 0.0f, 3.0f}).requires_grad_();
  Tensor y = abs(x);
  require_values(y, {4}, {2, 0.5f, 0, 3});
  y.sum().backward();
  require_values(x.grad(), {4}, {-1, -1, 0, 1});
  test::require_gradcheck([](const Inputs& in) { return abs(in[0]); },
                          {test::away_from_zero({3, 3}, 7)});
}

TEST_CASE("clamp limits values and passes the gradient only inside the limits",
          "[autograd][unary]") {
  Tensor x = tensor({-2.0f, -0.5f, 0.5f, 2.0f}).requires_grad_();
  Tensor y = clamp(x, -1.0f, 1.0f);
  require_values(y, {4}, {-1, -0.5f, 0.5f, 1});
  y.sum().backward();
  require_values(x.grad(), {4}, {0, 1, 1, 0});
  SECTION("gradcheck with inputs at least 0.25 from the limits -0.5 and 0.5") {
    Tensor inputs = tensor({-1.5f, -0.75f, -0.25f, 0.0f, 0.25f, 0.75f, 1.5f}).requires_grad_();
    test::require_gradcheck([](const Inputs& in) { return clamp(in[0], -0.5f, 0.5f); }, {inputs});
  }
}

TEST_CASE("clamp with min above max is a ValueError", "[autograd][unary][errors]") {
  REQUIRE_THROWS_AS(clamp(zeros({2}), 1.0f, -1.0f), ValueError);
  REQUIRE_THROWS_WITH(clamp(zeros({2}), 1.0f, -1.0f),
                      Catch::Contains("clamp: min 1 must not exceed max -1"));
}

TEST_CASE("tanh(0.5) is 0.462117 with gradient 1 - tanh^2", "[autograd][unary][task2.2]") {
  Tensor x = tensor({0.0f, 0.5f, -0.5f}).requires_grad_();
  Tensor y = tanh(x);
  require_values(y, {3}, {0.0f, 0.462117f, -0.462117f});
  y.sum().backward();
  // 1 - 0.462117^2 = 0.786448
  require_values(x.grad(), {3}, {1.0f, 0.786448f, 0.786448f});
  test::require_gradcheck([](const Inputs& in) { return tanh(in[0]); },
                          {test::random_input({2, 4}, 8)});
}

TEST_CASE("sigmoid(0) is 0.5 and sigmoid(2) is 0.880797, with gradient s (1 - s)",
          "[autograd][unary]") {
  Tensor x = tensor({0.0f, 2.0f, -2.0f}).requires_grad_();
  Tensor y = sigmoid(x);
  // 1 / (1 + e^-2) = 0.880797; sigmoid(-2) = 1 - 0.880797
  require_values(y, {3}, {0.5f, 0.880797f, 0.119203f});
  y.sum().backward();
  // 0.5 * 0.5 = 0.25; 0.880797 * 0.119203 = 0.104994
  require_values(x.grad(), {3}, {0.25f, 0.104994f, 0.104994f});
  test::require_gradcheck([](const Inputs& in) { return sigmoid(in[0]); },
                          {test::random_input({2, 4}, 9)});
}

TEST_CASE("sigmoid stays finite at +-100, and so does its gradient",
          "[autograd][unary][stability]") {
  Tensor x = tensor({-100.0f, 100.0f}).requires_grad_();
  Tensor s = sigmoid(x);
  REQUIRE(test::all_finite(s));
  REQUIRE(s.at(0) == Approx(0.0f).margin(1e-6));
  REQUIRE(s.at(1) == 1.0f);
  s.sum().backward();
  REQUIRE(test::all_finite(x.grad()));
  REQUIRE(x.grad().at(1) == Approx(0.0f).margin(1e-6));
}

TEST_CASE("tanh stays finite at +-100 and +-1e4, and so does its gradient",
          "[autograd][unary][stability][task2.2]") {
  Tensor x = tensor({-100.0f, 100.0f, -1e4f, 1e4f}).requires_grad_();
  Tensor t = tanh(x);
  require_values(t, {4}, {-1.0f, 1.0f, -1.0f, 1.0f}, 0.0);
  t.sum().backward();
  // 1 - tanh(x)^2 is 0 in float out there: finite zeros, not NaN
  REQUIRE(test::all_finite(x.grad()));
  require_values(x.grad(), {4}, {0.0f, 0.0f, 0.0f, 0.0f}, 0.0);
}

TEST_CASE("relu keeps positive values and passes the gradient only there", "[autograd][unary]") {
  Tensor x = tensor({-1.0f, 0.0f, 2.0f}).requires_grad_();
  Tensor y = relu(x);
  require_values(y, {3}, {0, 0, 2});
  y.sum().backward();
  require_values(x.grad(), {3}, {0, 0, 1});
  test::require_gradcheck([](const Inputs& in) { return relu(in[0]); },
                          {test::away_from_zero({3, 3}, 10)});
}

TEST_CASE("unary ops refuse int64 ids", "[autograd][unary][errors]") {
  Tensor ids = tensor({1, 2}, DType::Int64);
  REQUIRE_THROWS_AS(exp(ids), TypeError);
  REQUIRE_THROWS_WITH(relu(ids), Catch::Contains("relu: x must be float32"));
}

TEST_CASE("a chain of unary ops passes gradcheck", "[autograd][unary][gradcheck]") {
  // No assignment task's op here (abs, tanh), so this test never waits on a student's task.
  auto f = [](const Inputs& in) { return sigmoid(sigmoid(in[0]) * exp(-in[0]) + sqrt(in[1])); };
  test::require_gradcheck(f, {test::random_input({3}, 11), test::positive_input({3}, 12)});
}

TEST_CASE("pow with exponent 0 has gradient 0 everywhere, also at x = 0", "[autograd][unary]") {
  // d(x^0)/dx = 0; the formula p * x^(p - 1) would give 0 * 0^-1 = NaN at x = 0.
  Tensor x = tensor({0.0f, 2.0f}).requires_grad_();
  sum(pow(x, 0.0f)).backward();
  REQUIRE(x.grad().at(0) == 0.0f);
  REQUIRE(x.grad().at(1) == 0.0f);
}
