// Adagrad on the 2x2 quadratic (see optim_test_utils.h): two steps, lr_decay, the initial
// accumulator and weight decay, every value worked out by hand below.
//
// W0 = [[1, 2], [3, 4]], T = [[0, 0], [4, 4]], g = 2 (W - T), g0 = [[2, 4], [-2, 0]].
#include <catch2/catch.hpp>

#include "optim_test_utils.h"

using namespace embedlab;
using embedlab::test::quadratic_step;
using embedlab::test::require_values;
using embedlab::test::start_weights;

TEST_CASE("Adagrad divides each step by the root of the summed squared gradients",
          "[optim][adagrad][task5.1]") {
  Tensor W = start_weights();
  optim::Adagrad adagrad({W}, {.lr = 0.1});
  REQUIRE(adagrad.options().eps == Approx(1e-10).margin(0.0));
  // Step 1: state_sum = g0^2 = [[4, 16], [4, 0]], so the step is 0.1 * g0 / |g0| = 0.1 sign(g0)
  // (0 / (0 + eps) = 0 where g = 0): W1 = [[0.9, 1.9], [3.1, 4]].
  quadratic_step(adagrad, W);
  require_values(adagrad.state_sum(0), {4.0f, 16.0f, 4.0f, 0.0f});
  require_values(W, {0.9f, 1.9f, 3.1f, 4.0f}, 1e-6);
  // Step 2: g1 = [[1.8, 3.8], [-1.8, 0]], state_sum = [[4 + 3.24, 16 + 14.44], [7.24, 0]].
  // (0, 0): 0.1 * 1.8 / sqrt(7.24) = 0.18 / 2.690725 = 0.066896, W = 0.833104.
  // (0, 1): 0.1 * 3.8 / sqrt(30.44) = 0.38 / 5.517246 = 0.068875, W = 1.831125.
  // (1, 0) mirrors (0, 0): W = 3.166896.
  quadratic_step(adagrad, W);
  require_values(adagrad.state_sum(0), {7.24f, 30.44f, 7.24f, 0.0f}, 1e-5);
  require_values(W, {0.833104f, 1.831125f, 3.166896f, 4.0f}, 2e-6);
}

TEST_CASE("Adagrad lr_decay divides the lr by 1 + (t - 1) * lr_decay",
          "[optim][adagrad][task5.1]") {
  Tensor W = start_weights();
  optim::Adagrad adagrad({W}, {.lr = 0.1, .lr_decay = 0.5});
  // Step 1 uses clr = 0.1 (t = 1): as above. Step 2 uses clr = 0.1 / 1.5 = 0.066667, so the
  // steps shrink to 2/3: 0.066896 * 2/3 = 0.044598 and 0.068875 * 2/3 = 0.045917.
  quadratic_step(adagrad, W);
  quadratic_step(adagrad, W);
  require_values(W, {0.855402f, 1.854083f, 3.144598f, 4.0f}, 2e-6);
}

TEST_CASE("Adagrad's accumulator can start above zero", "[optim][adagrad][task5.1]") {
  Tensor W = start_weights();
  optim::Adagrad adagrad({W}, {.lr = 0.1, .initial_accumulator_value = 1.0});
  require_values(adagrad.state_sum(0), {1.0f, 1.0f, 1.0f, 1.0f});
  // state_sum = 1 + g0^2 = [[5, 17], [5, 1]]: steps 0.2 / sqrt(5) = 0.089443 and
  // 0.4 / sqrt(17) = 0.097014, so the first step is no longer lr * sign(g).
  quadratic_step(adagrad, W);
  require_values(W, {0.910557f, 1.902986f, 3.089443f, 4.0f}, 2e-6);
}

TEST_CASE("Adagrad weight decay adds weight_decay * W to the gradient",
          "[optim][adagrad][task5.1]") {
  Tensor W = start_weights();
  optim::Adagrad adagrad({W}, {.lr = 0.1, .weight_decay = 0.1});
  // Step 1: g = [[2.1, 4.2], [-1.7, 0.4]], all non-zero: W1 = W0 - 0.1 sign(g).
  quadratic_step(adagrad, W);
  require_values(W, {0.9f, 1.9f, 3.1f, 3.9f}, 1e-6);
  // Step 2, (1, 1): g = 2 (3.9 - 4) + 0.39 = 0.19, state_sum = 0.16 + 0.0361 = 0.1961,
  // step = 0.1 * 0.19 / 0.442832 = 0.042906, W = 3.857094.
  quadratic_step(adagrad, W);
  REQUIRE(W.at(1, 1) == Approx(3.857094f).margin(2e-6));
}
