// SGD on the 2x2 quadratic (see optim_test_utils.h): one and two steps of plain SGD,
// momentum, dampening, Nesterov and weight decay, every value worked out by hand below.
//
// W0 = [[1, 2], [3, 4]], T = [[0, 0], [4, 4]], g = 2 (W - T), g0 = [[2, 4], [-2, 0]].
#include <catch2/catch.hpp>

#include "optim_test_utils.h"

using namespace embedlab;
using embedlab::test::quadratic_step;
using embedlab::test::require_values;
using embedlab::test::start_weights;

TEST_CASE("plain SGD moves each weight by -lr * grad", "[optim][sgd]") {
  Tensor W = start_weights();
  optim::SGD sgd({W}, {.lr = 0.1});
  // Step 1: W1 = W0 - 0.1 g0 = [[0.8, 1.6], [3.2, 4.0]] (each W - T shrinks by 1 - 2 lr = 0.8).
  quadratic_step(sgd, W);
  require_values(W, {0.8f, 1.6f, 3.2f, 4.0f});
  // Step 2: g1 = 2 (W1 - T) = [[1.6, 3.2], [-1.6, 0]]; W2 = W1 - 0.1 g1.
  quadratic_step(sgd, W);
  require_values(W, {0.64f, 1.28f, 3.36f, 4.0f});
  REQUIRE(sgd.step_count() == 2);
}

TEST_CASE("SGD momentum starts its buffer at the first gradient", "[optim][sgd]") {
  Tensor W = start_weights();
  optim::SGD sgd({W}, {.lr = 0.1, .momentum = 0.9});
  // Step 1: buf = g0 (not (1 - dampening) g0 and not 0.1 g0), so W1 is plain SGD's.
  quadratic_step(sgd, W);
  require_values(sgd.momentum_buffer(0), {2.0f, 4.0f, -2.0f, 0.0f});
  require_values(W, {0.8f, 1.6f, 3.2f, 4.0f});
  // Step 2: buf = 0.9 g0 + g1 = [[1.8 + 1.6, 3.6 + 3.2], [-1.8 - 1.6, 0]] = [[3.4, 6.8], [-3.4,
  // 0]]; W2 = W1 - 0.1 buf = [[0.8 - 0.34, 1.6 - 0.68], [3.2 + 0.34, 4]].
  quadratic_step(sgd, W);
  require_values(sgd.momentum_buffer(0), {3.4f, 6.8f, -3.4f, 0.0f});
  require_values(W, {0.46f, 0.92f, 3.54f, 4.0f});
}

TEST_CASE("SGD dampening scales only the new gradient after the first step", "[optim][sgd]") {
  Tensor W = start_weights();
  optim::SGD sgd({W}, {.lr = 0.1, .momentum = 0.9, .dampening = 0.5});
  // Step 1: buf = g0 undamped, as in PyTorch, so W1 = [[0.8, 1.6], [3.2, 4.0]].
  quadratic_step(sgd, W);
  require_values(W, {0.8f, 1.6f, 3.2f, 4.0f});
  // Step 2: buf = 0.9 g0 + 0.5 g1 = [[1.8 + 0.8, 3.6 + 1.6], [-2.6, 0]] = [[2.6, 5.2], [-2.6, 0]];
  // W2 = W1 - 0.1 buf = [[0.8 - 0.26, 1.6 - 0.52], [3.2 + 0.26, 4]].
  quadratic_step(sgd, W);
  require_values(W, {0.54f, 1.08f, 3.46f, 4.0f});
}

TEST_CASE("Nesterov SGD steps along g + momentum * buf", "[optim][sgd]") {
  Tensor W = start_weights();
  optim::SGD sgd({W}, {.lr = 0.1, .momentum = 0.9, .nesterov = true});
  // Step 1: buf = g0; step direction g0 + 0.9 g0 = 1.9 g0 = [[3.8, 7.6], [-3.8, 0]];
  // W1 = W0 - 0.1 * 1.9 g0 = [[0.62, 1.24], [3.38, 4]].
  quadratic_step(sgd, W);
  require_values(W, {0.62f, 1.24f, 3.38f, 4.0f});
  // Step 2: g1 = 2 (W1 - T) = [[1.24, 2.48], [-1.24, 0]];
  // buf = 0.9 g0 + g1 = [[3.04, 6.08], [-3.04, 0]];
  // direction = g1 + 0.9 buf = [[1.24 + 2.736, 2.48 + 5.472], ...] = [[3.976, 7.952], [-3.976, 0]];
  // W2 = W1 - 0.1 direction = [[0.62 - 0.3976, 1.24 - 0.7952], [3.38 + 0.3976, 4]].
  quadratic_step(sgd, W);
  require_values(W, {0.2224f, 0.4448f, 3.7776f, 4.0f});
}

TEST_CASE("SGD weight decay adds weight_decay * W to the gradient", "[optim][sgd]") {
  Tensor W = start_weights();
  optim::SGD sgd({W}, {.lr = 0.1, .weight_decay = 0.1});
  // Step 1: g = g0 + 0.1 W0 = [[2.1, 4.2], [-1.7, 0.4]]; W1 = W0 - 0.1 g = [[0.79, 1.58],
  // [3.17, 3.96]]. The (1, 1) weight has no loss gradient, yet decay pulls it toward 0.
  quadratic_step(sgd, W);
  require_values(W, {0.79f, 1.58f, 3.17f, 3.96f});
  // Step 2: 2 (W1 - T) = [[1.58, 3.16], [-1.66, -0.08]], 0.1 W1 = [[0.079, 0.158], [0.317, 0.396]],
  // g = [[1.659, 3.318], [-1.343, 0.316]]; W2 = W1 - 0.1 g.
  quadratic_step(sgd, W);
  require_values(W, {0.6241f, 1.2482f, 3.3043f, 3.9284f});
}

TEST_CASE("SGD skips a parameter that has no gradient yet", "[optim][sgd]") {
  Tensor W = start_weights();
  Tensor unused = tensor({5.0f}).requires_grad_();
  optim::SGD sgd({W, unused}, {.lr = 0.1, .momentum = 0.9, .lazy = false});
  quadratic_step(sgd, W);
  require_values(unused, {5.0f});
  REQUIRE_FALSE(sgd.momentum_buffer(1).defined());
}
