// Gradient clipping: clip_grad_norm_ returns the total norm and scales every gradient by
// max_norm / (total + 1e-6) when it is larger; clip_grad_value_ clamps each element. Both visit
// only the gradient rows that may be non-zero.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "optim_test_utils.h"

using namespace embedlab;
using embedlab::test::require_values;

namespace {

// Returns a leaf of `shape` (zeros) whose gradient is `grad`, via loss = sum(p * grad).
Tensor with_grad(const Tensor& grad) {
  Tensor p = zeros(grad.shape()).requires_grad_();
  (p * grad).sum().backward();
  return p;
}

}  // namespace

TEST_CASE("clip_grad_norm_ returns the total norm and scales it down to max_norm",
          "[optim][clip]") {
  Tensor a = with_grad(tensor({3.0f, 4.0f}));
  SECTION("a norm of 5 clipped to 1 gives (3, 4) / 5") {
    // scale = 1 / (5 + 1e-6) = 0.19999996, so (0.59999988, 0.79999984).
    REQUIRE(optim::clip_grad_norm_({a}, 1.0) == Approx(5.0).margin(1e-9));
    require_values(a.grad(), {0.6f, 0.8f}, 1e-6);
    REQUIRE(optim::total_grad_norm({a}) == Approx(1.0).margin(1e-6));
  }
  SECTION("a norm under max_norm is left alone") {
    REQUIRE(optim::clip_grad_norm_({a}, 10.0) == Approx(5.0).margin(1e-9));
    require_values(a.grad(), {3.0f, 4.0f}, 0.0);
  }
  SECTION("other norms: max |g| = 4 for infinity, |3| + |4| = 7 for norm_type 1") {
    const double inf = std::numeric_limits<double>::infinity();
    REQUIRE(optim::clip_grad_norm_({a}, 100.0, inf) == Approx(4.0).margin(1e-9));
    REQUIRE(optim::clip_grad_norm_({a}, 100.0, 1.0) == Approx(7.0).margin(1e-9));
    // norm_type 1, max_norm 3.5: scale 3.5 / 7 = 0.5.
    REQUIRE(optim::clip_grad_norm_({a}, 3.5, 1.0) == Approx(7.0).margin(1e-9));
    require_values(a.grad(), {1.5f, 2.0f}, 1e-6);
  }
}

TEST_CASE("clip_grad_norm_ treats all parameters as one vector", "[optim][clip]") {
  // a's gradient (3, 0) and B's ((0, 4)) together have norm sqrt(9 + 16) = 5.
  Tensor a = with_grad(tensor({3.0f, 0.0f}));
  Tensor B = with_grad(tensor({{0.0f, 4.0f}}));
  Tensor no_grad_yet = zeros(Shape{2}).requires_grad_();
  REQUIRE(optim::clip_grad_norm_({a, B, no_grad_yet}, 2.5) == Approx(5.0).margin(1e-9));
  // Both scaled by 2.5 / 5: (1.5, 0) and (0, 2).
  require_values(a.grad(), {1.5f, 0.0f}, 1e-6);
  require_values(B.grad(), {0.0f, 2.0f}, 1e-6);
  REQUIRE_FALSE(no_grad_yet.grad().defined());
  REQUIRE(optim::clip_grad_norm_({}, 1.0) == 0.0);
}

TEST_CASE("clipping an embedding gradient visits only its touched rows", "[optim][clip][lazy]") {
  // W (5, 2); ids {1, 3}; loss = sum(embedding(W, ids) * C) with C = [[3, 0], [0, 4]], so
  // grad row 1 = (3, 0) and row 3 = (0, 4): norm 5, two touched rows.
  Tensor W = zeros(Shape{5, 2}).requires_grad_();
  const Tensor C = tensor({{3.0f, 0.0f}, {0.0f, 4.0f}});
  (embedding(W, from_ids({1, 3}, Shape{2})) * C).sum().backward();
  REQUIRE(grad_row_count(W) == 2);
  // A value planted in untouched row 0 behind the bookkeeping's back is neither counted nor
  // scaled: the norm costs O(touched rows x D), not O(V x D).
  W.grad().data()[0] = 100.0f;
  SECTION("by norm") {
    REQUIRE(optim::clip_grad_norm_({W}, 2.5) == Approx(5.0).margin(1e-9));
    require_values(W.grad(), {100.0f, 0.0f, 1.5f, 0.0f, 0.0f, 0.0f, 0.0f, 2.0f, 0.0f, 0.0f}, 1e-6);
  }
  SECTION("by value") {
    optim::clip_grad_value_({W}, 1.0);
    require_values(W.grad(), {100.0f, 0.0f, 1.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.0f, 0.0f, 0.0f});
  }
  REQUIRE(grad_row_count(W) == 2);
}

TEST_CASE("clip_grad_value_ clamps every element to plus or minus clip_value", "[optim][clip]") {
  Tensor a = with_grad(tensor({3.0f, -4.0f, 0.5f}));
  optim::clip_grad_value_({a}, 2.0);
  require_values(a.grad(), {2.0f, -2.0f, 0.5f});
}

TEST_CASE("clipping arguments are checked", "[optim][clip][errors]") {
  Tensor a = with_grad(tensor({3.0f, 4.0f}));
  REQUIRE_THROWS_AS(optim::clip_grad_norm_({a}, -1.0), ValueError);
  REQUIRE_THROWS_WITH(optim::clip_grad_norm_({a}, -1.0),
                      Catch::Contains("clip_grad_norm_: max_norm = -1 must be >= 0"));
  REQUIRE_THROWS_WITH(optim::clip_grad_norm_({a}, 1.0, 0.0),
                      Catch::Contains("clip_grad_norm_: norm_type = 0 must be > 0"));
  REQUIRE_THROWS_WITH(optim::clip_grad_value_({a}, -1.0),
                      Catch::Contains("clip_grad_value_: clip_value = -1 must be >= 0"));
  SECTION("a non-finite norm is an error only when asked") {
    Tensor b = with_grad(tensor({std::numeric_limits<float>::infinity(), 1.0f}));
    REQUIRE_THROWS_WITH(optim::clip_grad_norm_({b}, 1.0, 2.0, true),
                        Catch::Contains("total norm of order 2 of the gradients is inf"));
    // Without the check, as PyTorch: the scale max_norm / inf = 0 zeroes the finite entries.
    REQUIRE(std::isinf(optim::clip_grad_norm_({b}, 1.0)));
    REQUIRE(b.grad().at(1) == 0.0f);
  }
}
