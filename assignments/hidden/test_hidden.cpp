// The instructor's hidden tests: edge cases each task must also get right, beyond the visible
// tests a student runs. Each carries [task<id>][hidden]; the student copy leaves this file out.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "autograd/backward.h"
#include "embedlab.h"

using namespace embedlab;

TEST_CASE("hidden: eye(0) is empty and eye(1) is the 1 x 1 matrix 1", "[task1.1][hidden]") {
  REQUIRE(eye(0).shape() == Shape{0, 0});
  const Tensor one = eye(1);
  REQUIRE(one.shape() == Shape{1, 1});
  REQUIRE(one.at(0, 0) == 1.0f);
}

TEST_CASE("hidden: abs of -0, of huge values and of infinities is non-negative",
          "[task1.2][hidden]") {
  const Tensor y = abs(tensor({-0.0f, -1e30f, -INFINITY, INFINITY}));
  REQUIRE_FALSE(std::signbit(y.at(0)));
  REQUIRE(y.at(1) == 1e30f);
  REQUIRE(y.at(2) == INFINITY);
  REQUIRE(y.at(3) == INFINITY);
}

TEST_CASE("hidden: tanh_backward adds to a gradient that already flows in", "[task2.2][hidden]") {
  // y = tanh(x) + x: dy/dx = (1 - tanh(0)^2) + 1 = 2 at x = 0
  Tensor x = tensor({0.0f}).requires_grad_();
  (tanh(x) + x).sum().backward();
  REQUIRE(x.grad().at(0) == Approx(2.0f));
}

TEST_CASE("hidden: cosine_similarity ignores the length of each row", "[task4.1][hidden]") {
  // (1, 2) against (10, 20) and against (-0.5, -1): 1 and -1
  const Tensor cos = cosine_similarity(tensor({{1, 2}, {1, 2}}), tensor({{10, 20}, {-0.5f, -1}}));
  REQUIRE(cos.at(0) == Approx(1.0f));
  REQUIRE(cos.at(1) == Approx(-1.0f));
}

TEST_CASE("hidden: an empty model has 0 parameters", "[task4.3][hidden]") {
  nn::Sequential model;
  REQUIRE(model.num_parameters() == 0);
  REQUIRE(model.num_parameters(true) == 0);
}

TEST_CASE("hidden: Adagrad leaves a parameter without a gradient alone", "[task5.1][hidden]") {
  Tensor used = tensor({1.0f}).requires_grad_();
  Tensor unused = tensor({5.0f}).requires_grad_();
  optim::Adagrad adagrad({used, unused}, {.lr = 0.5});
  (used * used).sum().backward();  // grad = 2: the step is lr * g / |g| = 0.5
  adagrad.step();
  REQUIRE(used.at(0) == Approx(0.5f));
  REQUIRE(unused.at(0) == 5.0f);
}

TEST_CASE("hidden: the composed skip-gram loss of no examples is 0", "[task6.1][hidden]") {
  const Tensor w_in = ones({3, 2}), w_out = ones({3, 2});
  const Tensor loss =
      word2vec::sgns_loss_composed(w_in, w_out, from_ids({}, Shape{0}), from_ids({}, Shape{0, 2}));
  REQUIRE(loss.item() == 0.0f);
}

TEST_CASE("hidden: the textbook lookup of one id repeated copies that row each time",
          "[task3.1][hidden]") {
  const Tensor rows =
      embedding_forward_reference(tensor({{1, 2}, {3, 4}}), std::vector<int64_t>{1, 1, 1});
  REQUIRE(rows.shape() == Shape{3, 2});
  for (int64_t i = 0; i < 3; ++i) {
    REQUIRE(rows.at(i, 0) == 3.0f);
    REQUIRE(rows.at(i, 1) == 4.0f);
  }
}

TEST_CASE("hidden: the textbook backward with padding and frequency scaling together",
          "[task3.2][hidden]") {
  // ids {1, 1, 0} with padding_idx 0 and scale_grad_by_freq: row 1 gets (1 + 3) / 2 = 2 per
  // column, row 0 (the padding id) nothing.
  const Tensor grad =
      embedding_backward_reference(std::vector<int64_t>{1, 1, 0}, tensor({{1, 1}, {3, 3}, {5, 5}}),
                                   2, {.padding_idx = 0, .scale_grad_by_freq = true});
  REQUIRE(grad.at(0, 0) == 0.0f);
  REQUIRE(grad.at(1, 0) == Approx(2.0f));
  REQUIRE(grad.at(1, 1) == Approx(2.0f));
}
