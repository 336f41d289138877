// PyTorch names and semantics: clamp with a missing bound, clamp_min / clamp_max, mutable_grad,
// and ignore_index in cross_entropy / nll_loss (max / min with indices and both forms of norm
// are tested beside their ops, in test_reduce_ops.cpp and test_similarity_ops.cpp). Expected
// values are worked out by hand in the comments.
#include <cmath>

#include <catch2/catch.hpp>

#include "autograd_test_utils.h"

using namespace embedlab;
using embedlab::test::require_values;

TEST_CASE("clamp takes a missing bound, and clamp_min / clamp_max exist", "[autograd][pytorch]") {
  const Tensor x = tensor({-2.0f, 0.5f, 3.0f});
  require_values(clamp(x, std::nullopt, 1.0f), {3}, {-2, 0.5f, 1});
  require_values(clamp(x, 0.0f, std::nullopt), {3}, {0, 0.5f, 3});
  require_values(clamp_min(x, 0.0f), {3}, {0, 0.5f, 3});
  require_values(clamp_max(x, 1.0f), {3}, {-2, 0.5f, 1});
  REQUIRE_THROWS_WITH(clamp(x, std::nullopt, std::nullopt), Catch::Contains("at least one"));
  SECTION("the gradient is 0 where the bound applied: d clamp_max(x, 1)/dx = [1, 1, 0]") {
    Tensor w = tensor({-2.0f, 0.5f, 3.0f}).requires_grad_();
    clamp_max(w, 1.0f).sum().backward();
    require_values(w.grad(), {3}, {1, 1, 0});
  }
}

TEST_CASE("mutable_grad sets a gradient that backward adds to and step uses",
          "[autograd][pytorch]") {
  Tensor w = tensor({1.0f, 2.0f}).requires_grad_();
  w.mutable_grad() = tensor({0.5f, 0.5f});
  require_values(w.grad(), {2}, {0.5f, 0.5f});
  (w * 3.0f).sum().backward();  // adds 3 to each: [3.5, 3.5]
  require_values(w.grad(), {2}, {3.5f, 3.5f});
  optim::SGD sgd({w}, {.lr = 0.1});
  sgd.step();  // w - 0.1 * 3.5
  require_values(w, {2}, {0.65f, 1.65f});
  SECTION("an embedding's rows are folded in first, then every row counts") {
    Tensor W = zeros({3, 1}).requires_grad_();
    embedding(W, tensor({2}, DType::Int64)).sum().backward();
    W.mutable_grad().data()[0] = 5.0f;
    require_values(W.grad(), {3, 1}, {5, 0, 1});
    REQUIRE(grad_row_count(W) == 3);
  }
  SECTION("a gradient of another shape is refused at the next step") {
    w.mutable_grad() = tensor({1.0f, 2.0f, 3.0f});
    REQUIRE_THROWS_WITH(sgd.step(), Catch::Contains("shape (3)") && Catch::Contains("(2)"));
  }
}

TEST_CASE("cross_entropy and nll_loss skip ignore_index, averaging over the kept targets",
          "[nn][loss][pytorch]") {
  // log_probs rows: row 0 picks class 0 (-1), row 1 is ignored, row 2 picks class 1 (-3).
  Tensor log_probs = tensor({{-1.0f, -2.0f}, {-5.0f, -6.0f}, {-4.0f, -3.0f}}).requires_grad_();
  const Tensor target = tensor({0, -100, 1}, DType::Int64);
  // Mean over the 2 kept targets: (1 + 3) / 2 = 2 (PyTorch divides by 2, not 3).
  Tensor loss = nn::nll_loss(log_probs, target);
  REQUIRE(loss.item() == Approx(2.0f));
  loss.backward();
  require_values(log_probs.grad(), {3, 2}, {-0.5f, 0, 0, 0, 0, -0.5f});
  REQUIRE(nn::nll_loss(log_probs, target, nn::Reduction::Sum).item() == Approx(4.0f));
  require_values(nn::nll_loss(log_probs, target, nn::Reduction::None), {3}, {1, 0, 3});
  SECTION("a custom ignore_index, and cross_entropy") {
    // logits [[0, 0], [0, 0]]: each kept loss is log 2; target 1 in row 1 is ignored.
    const Tensor logits = zeros({2, 2});
    const Tensor t = tensor({0, 1}, DType::Int64);
    REQUIRE(nn::cross_entropy(logits, t, nn::Reduction::Mean, 1).item() == Approx(std::log(2.0f)));
  }
  SECTION("every target ignored: the mean is NaN, as in PyTorch") {
    REQUIRE(std::isnan(nn::nll_loss(log_probs, tensor({-100, -100, -100}, DType::Int64)).item()));
  }
  SECTION("other ids out of range are still refused") {
    REQUIRE_THROWS_AS(nn::nll_loss(log_probs, tensor({0, -1, 1}, DType::Int64)), IndexError);
  }
}
