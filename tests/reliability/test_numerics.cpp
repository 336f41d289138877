// Numerics at the edges: losses and activations at logits of +-1e4 and +-1e30 stay finite and
// exact, softmax handles -inf, and anomaly mode names the op whose forward (or backward) first
// produced NaN or Inf.
//
// The expected values are worked out by hand in the comments: with logits this far apart,
// every softmax is exactly one-hot in float32, so losses and gradients are whole numbers.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "autograd/node.h"
#include "autograd/ops.h"
#include "nn/loss.h"
#include "reliability_test_utils.h"
#include "tensor/creation.h"
#include "tensor/error.h"

using namespace embedlab;
using embedlab::test::MessageHas;

namespace {
constexpr float kInf = std::numeric_limits<float>::infinity();

void require_all_finite(const Tensor& t) {
  for (int64_t i = 0; i < t.numel(); ++i) {
    INFO("element " << i << " of " << t.to_string());
    REQUIRE(std::isfinite(t.at(i)));
  }
}
}  // namespace

TEST_CASE("log_softmax stays finite and exact for logits of +-1e4 and +-1e30",
          "[reliability][numerics]") {
  // log_softmax([a, -a]) = [a - a - log(1 + e^-2a), -a - a - log(1 + e^-2a)] = [0, -2a].
  const float a = GENERATE(1e4f, 1e30f);
  Tensor out = log_softmax(tensor({a, -a}));
  require_all_finite(out);
  REQUIRE(out.at(0) == Approx(0.0).margin(0.0));
  REQUIRE(out.at(1) == Approx(-2.0 * a).epsilon(1e-6));
}

TEST_CASE("cross_entropy stays finite and exact for logits of +-1e4 and +-1e30",
          "[reliability][numerics]") {
  const float a = GENERATE(1e4f, 1e30f);
  Tensor logits = tensor({{a, -a}, {a, -a}}).requires_grad_();
  // Row 0 picks the large logit (loss 0), row 1 the small one (loss 2a); the mean is a.
  Tensor loss = nn::cross_entropy(logits, tensor({0, 1}, DType::Int64));
  REQUIRE(std::isfinite(loss.item()));
  REQUIRE(loss.item() == Approx(a).epsilon(1e-6));
  // d loss / d logits = (softmax - one_hot) / N = ([1, 0] - one_hot) / 2.
  loss.backward();
  require_all_finite(logits.grad());
  REQUIRE(logits.grad().at(0, 0) == Approx(0.0).margin(1e-7));
  REQUIRE(logits.grad().at(0, 1) == Approx(0.0).margin(1e-7));
  REQUIRE(logits.grad().at(1, 0) == Approx(0.5).margin(1e-7));
  REQUIRE(logits.grad().at(1, 1) == Approx(-0.5).margin(1e-7));
}

TEST_CASE("binary_cross_entropy_with_logits stays finite and exact for +-1e4 and +-1e30",
          "[reliability][numerics]") {
  const float a = GENERATE(1e4f, 1e30f);
  Tensor logits = tensor({a, a, -a, -a}).requires_grad_();
  Tensor targets = tensor({1, 0, 1, 0});
  // max(x, 0) - x y + log(1 + e^-|x|): right answers cost 0, wrong ones cost |x| = a.
  Tensor loss = nn::binary_cross_entropy_with_logits(logits, targets, nn::Reduction::None);
  require_all_finite(loss);
  REQUIRE(loss.at(0) == Approx(0.0).margin(1e-6));
  REQUIRE(loss.at(1) == Approx(a).epsilon(1e-6));
  REQUIRE(loss.at(2) == Approx(a).epsilon(1e-6));
  REQUIRE(loss.at(3) == Approx(0.0).margin(1e-6));
  // d/dx = sigmoid(x) - y = [1 - 1, 1 - 0, 0 - 1, 0 - 0].
  sum(loss).backward();
  require_all_finite(logits.grad());
  REQUIRE(logits.grad().at(0) == Approx(0.0).margin(1e-7));
  REQUIRE(logits.grad().at(1) == Approx(1.0).margin(1e-7));
  REQUIRE(logits.grad().at(2) == Approx(-1.0).margin(1e-7));
  REQUIRE(logits.grad().at(3) == Approx(0.0).margin(1e-7));
}

// tanh at +-1e4 and cosine similarity with a zero vector are checked in
// tests/autograd/test_unary_ops.cpp and test_similarity_ops.cpp, with the course-assignment
// tasks they belong to (2.2, 4.1 and 4.2).
TEST_CASE("sigmoid saturates cleanly at +-1e4", "[reliability][numerics]") {
  Tensor x = tensor({1e4f, -1e4f}).requires_grad_();
  Tensor s = sigmoid(x);
  REQUIRE(s.at(0) == Approx(1.0).margin(0.0));
  REQUIRE(s.at(1) == Approx(0.0).margin(0.0));
  // s (1 - s) = 0 out there: finite zeros, not NaN.
  sum(s).backward();
  require_all_finite(x.grad());
  REQUIRE(x.grad().at(0) == Approx(0.0).margin(0.0));
  REQUIRE(x.grad().at(1) == Approx(0.0).margin(0.0));
}

TEST_CASE("softmax of -inf and 0 is 0 and 1 with a finite gradient", "[reliability][numerics]") {
  Tensor x = tensor({-kInf, 0.0f}).requires_grad_();
  Tensor y = softmax(x);
  REQUIRE(y.at(0) == Approx(0.0).margin(0.0));
  REQUIRE(y.at(1) == Approx(1.0).margin(0.0));
  // grad_x = y * (g - sum(g y)) with g = [1, 2]: [0 * (1 - 2), 1 * (2 - 2)] = [0, 0].
  sum(y * tensor({1, 2})).backward();
  require_all_finite(x.grad());
  REQUIRE(x.grad().at(0) == Approx(0.0).margin(0.0));
  REQUIRE(x.grad().at(1) == Approx(0.0).margin(0.0));
}

TEST_CASE("anomaly mode names the op whose forward first made NaN", "[reliability][numerics]") {
  Tensor x = tensor({-1.0f, 2.0f}).requires_grad_();
  SECTION("without the guard the NaN passes silently") {
    Tensor y = exp(log(x));
    REQUIRE(std::isnan(y.at(0)));
  }
  SECTION("with the guard, log (not the exp after it) is named") {
    DetectAnomalyGuard guard;
    REQUIRE_THROWS_MATCHES(exp(log(x)), AutogradError,
                           MessageHas({"forward of 'log'", "NaN or Inf", "(2)"}));
  }
  REQUIRE_FALSE(anomaly_mode_enabled());
}

TEST_CASE("anomaly mode names the op whose backward first made Inf", "[reliability][numerics]") {
  // d sqrt(z) / dz = 1 / (2 sqrt z) is +inf at z = 0. Backward runs sum, then sqrt (which
  // makes the Inf), then mul: sqrt must be named, before mul spreads the Inf into x.
  Tensor x = tensor({0.0f, 4.0f}).requires_grad_();
  DetectAnomalyGuard guard;
  Tensor loss = sum(sqrt(x * 1.0f));
  REQUIRE_THROWS_MATCHES(loss.backward(), AutogradError,
                         MessageHas({"backward of 'sqrt'", "NaN or Inf", "input 0", "(2)"}));
  REQUIRE_FALSE(x.grad().defined());
}
