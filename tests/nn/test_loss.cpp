// Losses: hand-computed values for each reduction, gradchecks, stability at +-1e4, errors.
#include <catch2/catch.hpp>

#include "autograd/autograd_test_utils.h"

using namespace embedlab;
using embedlab::nn::Reduction;
using embedlab::test::all_finite;
using embedlab::test::Inputs;
using embedlab::test::random_input;
using embedlab::test::require_gradcheck;
using embedlab::test::require_values;

namespace {
const Reduction kReductions[] = {Reduction::Mean, Reduction::Sum, Reduction::None};
}

TEST_CASE("mse_loss by hand", "[nn][loss][mse]") {
  // input [1, 2, 3], target [0, 4, 3]: squared errors [1, 4, 0]
  const Tensor input = tensor({1, 2, 3}), target = tensor({0, 4, 3});
  REQUIRE(nn::mse_loss(input, target).item() == Approx(5.0f / 3.0f));  // (1 + 4 + 0) / 3
  REQUIRE(nn::mse_loss(input, target, Reduction::Sum).item() == Approx(5.0f));
  require_values(nn::mse_loss(input, target, Reduction::None), Shape{3}, {1, 4, 0});

  SECTION("its gradient is 2 (input - target) / N") {
    Tensor x = tensor({1, 2, 3}).requires_grad_();
    nn::mse_loss(x, target).backward();
    require_values(x.grad(), Shape{3}, {2.0f / 3, -4.0f / 3, 0});
  }
  SECTION("gradcheck for each reduction, input and target") {
    for (Reduction reduction : kReductions) {
      require_gradcheck(
          [reduction](const Inputs& in) { return nn::mse_loss(in[0], in[1], reduction); },
          {random_input({2, 3}, 1), random_input({2, 3}, 2)});
    }
  }
  SECTION("errors") {
    REQUIRE_THROWS_AS(nn::mse_loss(input, tensor({1, 2})), ShapeError);
    REQUIRE_THROWS_WITH(nn::mse_loss(input, tensor({1, 2})),
                        Catch::Contains("input of shape (3) and target of shape (2)"));
    REQUIRE_THROWS_AS(nn::mse_loss(input, tensor({1, 2, 3}, DType::Int64)), TypeError);
  }
}

TEST_CASE("cross_entropy by hand", "[nn][loss][cross_entropy]") {
  // Row 0: logits [1, 2, 3], class 2: -3 + log(e + e^2 + e^3) = log(1 + e^-1 + e^-2) = 0.407606
  // Row 1: logits [1, 1, 1], class 0: log 3 = 1.098612
  const Tensor logits = tensor({{1, 2, 3}, {1, 1, 1}});
  const Tensor target = tensor({2, 0}, DType::Int64);
  REQUIRE(nn::cross_entropy(logits, target).item() == Approx(0.753109f).margin(1e-5));
  REQUIRE(nn::cross_entropy(logits, target, Reduction::Sum).item() ==
          Approx(1.506218f).margin(1e-5));
  require_values(nn::cross_entropy(logits, target, Reduction::None), Shape{2},
                 {0.407606f, 1.098612f});

  SECTION("one example: (C) logits and a scalar class") {
    const Tensor loss = nn::cross_entropy(tensor({1, 2, 3}), tensor(2.0f, DType::Int64));
    REQUIRE(loss.shape() == Shape{});
    REQUIRE(loss.item() == Approx(0.407606f).margin(1e-5));
  }
  SECTION("its gradient is (softmax - one_hot) / N") {
    Tensor x = tensor({{1, 2, 3}, {1, 1, 1}}).requires_grad_();
    nn::cross_entropy(x, target).backward();
    // softmax([1, 2, 3]) = [0.090031, 0.244728, 0.665241]; softmax([1, 1, 1]) = 1/3 each
    require_values(x.grad(), Shape{2, 3},
                   {0.090031f / 2, 0.244728f / 2, (0.665241f - 1) / 2, (1.0f / 3 - 1) / 2, 1.0f / 6,
                    1.0f / 6});
  }
  SECTION("gradcheck for each reduction") {
    const Tensor ids = tensor({0, 3, 3}, DType::Int64);
    for (Reduction reduction : kReductions) {
      require_gradcheck([&](const Inputs& in) { return nn::cross_entropy(in[0], ids, reduction); },
                        {random_input({3, 4}, 3)});
    }
  }
}

TEST_CASE("cross_entropy stays finite and correct for logits of +-1e4",
          "[nn][loss][cross_entropy][stability]") {
  Tensor logits = tensor({{1e4f, -1e4f, 0}, {-1e4f, -1e4f, -1e4f}}).requires_grad_();
  // Row 0, class 0: the right class wins by 1e4: loss log(1 + e^-1e4 + e^-2e4) = 0.
  // Row 0, class 1: -(-1e4) + log(e^1e4 + ...) = 1e4 + 1e4 = 2e4.
  // Row 1: three equal logits: log 3, whatever their size.
  const Tensor per_example =
      nn::cross_entropy(logits, tensor({0, 0}, DType::Int64), Reduction::None);
  require_values(per_example, Shape{2}, {0.0f, 1.098612f});
  REQUIRE(nn::cross_entropy(logits, tensor({1, 2}, DType::Int64), Reduction::None).at(0) ==
          Approx(2e4f));
  nn::cross_entropy(logits, tensor({1, 2}, DType::Int64)).backward();
  REQUIRE(all_finite(logits.grad()));
  // Row 0: (softmax - one_hot) / 2 = ([1, 0, 0] - [0, 1, 0]) / 2
  REQUIRE(logits.grad().at(0, 0) == Approx(0.5f));
  REQUIRE(logits.grad().at(0, 1) == Approx(-0.5f));
}

TEST_CASE("cross_entropy and nll_loss errors name the problem", "[nn][loss][errors]") {
  const Tensor logits = zeros({2, 3});
  SECTION("a class id out of range gives id, position and range") {
    REQUIRE_THROWS_AS(nn::cross_entropy(logits, tensor({0, 3}, DType::Int64)), IndexError);
    REQUIRE_THROWS_WITH(nn::cross_entropy(logits, tensor({0, 3}, DType::Int64)),
                        "cross_entropy: target id 3 at position 1 out of range [0, 3)");
    REQUIRE_THROWS_WITH(nn::nll_loss(logits, tensor({-1, 0}, DType::Int64)),
                        Catch::Contains("target id -1 at position 0"));
  }
  SECTION("float targets where class ids are needed") {
    REQUIRE_THROWS_AS(nn::cross_entropy(logits, tensor({0, 1})), TypeError);
    REQUIRE_THROWS_WITH(nn::nll_loss(logits, tensor({0, 1})),
                        Catch::Contains("target must be int64 class ids"));
  }
  SECTION("shapes that do not fit name both") {
    REQUIRE_THROWS_AS(nn::cross_entropy(logits, tensor({0, 1, 2}, DType::Int64)), ShapeError);
    REQUIRE_THROWS_WITH(nn::cross_entropy(logits, tensor({0, 1, 2}, DType::Int64)),
                        Catch::Contains("logits of shape (2, 3) need a target of shape (2), got "
                                        "shape (3)"));
    REQUIRE_THROWS_AS(nn::cross_entropy(tensor(1.0f), tensor(0.0f, DType::Int64)), ShapeError);
  }
  SECTION("the mean of an empty batch") {
    REQUIRE_THROWS_AS(nn::nll_loss(zeros({0, 3}), from_ids({}, Shape{0})), ValueError);
  }
}

TEST_CASE("nll_loss picks minus the log-probability of each target class", "[nn][loss][nll]") {
  // Picked entries: row 0 column 1 (-1) and row 1 column 0 (-3): losses [1, 3].
  Tensor log_probs = tensor({{-0.5f, -1, -2}, {-3, -0.25f, -1}}).requires_grad_();
  const Tensor target = tensor({1, 0}, DType::Int64);
  require_values(nn::nll_loss(log_probs, target, Reduction::None), Shape{2}, {1, 3});
  REQUIRE(nn::nll_loss(log_probs, target, Reduction::Sum).item() == Approx(4.0f));
  const Tensor loss = nn::nll_loss(log_probs, target);
  REQUIRE(loss.item() == Approx(2.0f));  // (1 + 3) / 2
  REQUIRE(loss.grad_fn_name() == "nll_loss");
  loss.backward();
  // Only the picked entries get -1 / N = -0.5.
  require_values(log_probs.grad(), Shape{2, 3}, {0, -0.5f, 0, -0.5f, 0, 0});

  SECTION("gradcheck for each reduction, a class picked twice included") {
    const Tensor ids = tensor({2, 2, 0}, DType::Int64);
    for (Reduction reduction : kReductions) {
      require_gradcheck([&](const Inputs& in) { return nn::nll_loss(in[0], ids, reduction); },
                        {random_input({3, 3}, 4)});
    }
  }
}

TEST_CASE("binary_cross_entropy_with_logits by hand", "[nn][loss][bce]") {
  // loss = max(x, 0) - x y + log(1 + e^-|x|)
  //   x = 0,  y = 1:   0 - 0 + log 2                  = 0.693147
  //   x = 2,  y = 0:   2 - 0 + log(1 + e^-2)          = 2.126928
  //   x = -1, y = 0.5: 0 + 0.5 + log(1 + e^-1)        = 0.813262
  Tensor logits = tensor({0, 2, -1}).requires_grad_();
  const Tensor targets = tensor({1, 0, 0.5f});
  require_values(nn::binary_cross_entropy_with_logits(logits, targets, Reduction::None), Shape{3},
                 {0.693147f, 2.126928f, 0.813262f});
  REQUIRE(nn::binary_cross_entropy_with_logits(logits, targets, Reduction::Sum).item() ==
          Approx(3.633337f).margin(1e-5));
  const Tensor loss = nn::binary_cross_entropy_with_logits(logits, targets);
  REQUIRE(loss.item() == Approx(1.211112f).margin(1e-5));
  REQUIRE(loss.grad_fn_name() == "binary_cross_entropy_with_logits");
  loss.backward();
  // (sigmoid(x) - y) / 3: (0.5 - 1) / 3, (0.880797 - 0) / 3, (0.268941 - 0.5) / 3
  require_values(logits.grad(), Shape{3}, {-0.166667f, 0.293599f, -0.077020f});

  SECTION("gradcheck for each reduction, logits and targets") {
    for (Reduction reduction : kReductions) {
      require_gradcheck(
          [reduction](const Inputs& in) {
            return nn::binary_cross_entropy_with_logits(in[0], in[1], reduction);
          },
          {random_input({2, 3}, 5), random_input({2, 3}, 6)});
    }
  }
}

TEST_CASE("binary_cross_entropy_with_logits stays finite for logits of +-1e4",
          "[nn][loss][bce][stability]") {
  // Right and confident: loss 0. Wrong and confident: loss |x| = 1e4.
  Tensor logits = tensor({1e4f, -1e4f, 1e4f, -1e4f}).requires_grad_();
  const Tensor targets = tensor({1, 0, 0, 1});
  require_values(nn::binary_cross_entropy_with_logits(logits, targets, Reduction::None), Shape{4},
                 {0, 0, 1e4f, 1e4f});
  nn::binary_cross_entropy_with_logits(logits, targets, Reduction::Sum).backward();
  // sigmoid(x) - y: 1 - 1, 0 - 0, 1 - 0, 0 - 1
  require_values(logits.grad(), Shape{4}, {0, 0, 1, -1});
}

TEST_CASE("binary_cross_entropy_with_logits errors", "[nn][loss][bce][errors]") {
  REQUIRE_THROWS_AS(nn::binary_cross_entropy_with_logits(zeros({3}), zeros({2})), ShapeError);
  REQUIRE_THROWS_WITH(nn::binary_cross_entropy_with_logits(zeros({3}), zeros({2})),
                      Catch::Contains("logits of shape (3) and targets of shape (2)"));
  REQUIRE_THROWS_AS(nn::binary_cross_entropy_with_logits(zeros({2}), tensor({0, 1}, DType::Int64)),
                    TypeError);
}
