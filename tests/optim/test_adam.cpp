// Adam and AdamW on the 2x2 quadratic (see optim_test_utils.h): the first step moves every
// weight by lr * sign(g), then the exact second step; L2 weight decay, decoupled decay (AdamW),
// amsgrad, and a parameter whose first gradient arrives late. Values worked out by hand below.
//
// W0 = [[1, 2], [3, 4]], T = [[0, 0], [4, 4]], g = 2 (W - T), g0 = [[2, 4], [-2, 0]].
// lr = 0.1, beta1 = 0.9, beta2 = 0.999; at step 2 the bias corrections are
// 1 - 0.9^2 = 0.19 and 1 - 0.999^2 = 0.001999.
#include <catch2/catch.hpp>

#include "optim_test_utils.h"

using namespace embedlab;
using embedlab::test::quadratic_step;
using embedlab::test::require_values;
using embedlab::test::start_weights;

TEST_CASE("Adam's first step moves each weight by lr * sign(grad)", "[optim][adam]") {
  Tensor W = start_weights();
  optim::Adam adam({W}, {.lr = 0.1});
  // m = 0.1 g, v = 0.001 g^2, so m_hat = g and v_hat = g^2: the step is lr * g / (|g| + eps),
  // which is 0.1 * sign(g) up to eps = 1e-8, and exactly 0 where g = 0.
  quadratic_step(adam, W);
  require_values(W, {0.9f, 1.9f, 3.1f, 4.0f}, 1e-6);
  require_values(adam.exp_avg(0), {0.2f, 0.4f, -0.2f, 0.0f}, 1e-7);
  require_values(adam.exp_avg_sq(0), {0.004f, 0.016f, 0.004f, 0.0f}, 1e-9);
}

TEST_CASE("Adam's second step follows the bias-corrected moments exactly", "[optim][adam]") {
  Tensor W = start_weights();
  optim::Adam adam({W}, {.lr = 0.1});
  quadratic_step(adam, W);
  quadratic_step(adam, W);
  // g1 = 2 (W1 - T) = [[1.8, 3.8], [-1.8, 0]].
  // (0, 0): m = 0.9 * 0.2 + 0.1 * 1.8 = 0.36, v = 0.999 * 0.004 + 0.001 * 3.24 = 0.007236,
  //   m_hat = 0.36 / 0.19 = 1.894737, v_hat = 0.007236 / 0.001999 = 3.619810 (sqrt 1.902580),
  //   step = 0.1 * 1.894737 / 1.902580 = 0.099588, W = 0.9 - 0.099588 = 0.800412.
  // (0, 1): m = 0.36 + 0.38 = 0.74, v = 0.015984 + 0.01444 = 0.030424, m_hat = 3.894737,
  //   v_hat = 15.219610 (sqrt 3.901232), step = 0.099834, W = 1.9 - 0.099834 = 1.800166.
  // (1, 0) mirrors (0, 0): W = 3.1 + 0.099588 = 3.199588.  (1, 1): g = 0 twice, W stays 4.
  require_values(adam.exp_avg(0), {0.36f, 0.74f, -0.36f, 0.0f}, 1e-6);
  require_values(adam.exp_avg_sq(0), {0.007236f, 0.030424f, 0.007236f, 0.0f}, 1e-8);
  require_values(W, {0.800412f, 1.800166f, 3.199588f, 4.0f}, 2e-6);
}

TEST_CASE("Adam weight decay is added to the gradient before the moments", "[optim][adam]") {
  Tensor W = start_weights();
  optim::Adam adam({W}, {.lr = 0.1, .weight_decay = 0.1});
  // Step 1: g = g0 + 0.1 W0 = [[2.1, 4.2], [-1.7, 0.4]]: all non-zero, so every weight moves
  // by 0.1 * sign(g), the (1, 1) weight too (without decay it stays).
  quadratic_step(adam, W);
  require_values(W, {0.9f, 1.9f, 3.1f, 3.9f}, 1e-6);
  // Step 2: g = 2 (W1 - T) + 0.1 W1 = [[1.89, 3.99], [-1.49, 0.19]].
  // (1, 1): m = 0.9 * 0.04 + 0.1 * 0.19 = 0.055, v = 0.999 * 0.00016 + 0.001 * 0.0361 =
  //   0.00019594, m_hat = 0.289474, v_hat = 0.098019 (sqrt 0.313080), step = 0.092460,
  //   W = 3.9 - 0.092460 = 3.807540.
  // (1, 0): m = -0.153 - 0.149 = -0.302, v = 0.00288711 + 0.0022201 = 0.00510721,
  //   m_hat = -1.589474, v_hat = 2.554882 (sqrt 1.598400), step = -0.099442, W = 3.199442.
  // (0, 0) and (0, 1): g1 = 0.9 g0 as without decay, so the same as plain Adam (step 2 of the
  //   previous test): 0.800412 and 1.800166.
  quadratic_step(adam, W);
  require_values(W, {0.800412f, 1.800166f, 3.199442f, 3.807540f}, 2e-6);
}

TEST_CASE("AdamW shrinks the weights by 1 - lr * weight_decay, apart from the moments",
          "[optim][adam][adamw]") {
  Tensor W = start_weights();
  optim::AdamW adamw({W}, {.lr = 0.1, .weight_decay = 0.1});
  REQUIRE(adamw.name() == "AdamW");
  // Step 1: W1 = 0.99 W0 - 0.1 sign(g0) = [[0.99 - 0.1, 1.98 - 0.1], [2.97 + 0.1, 3.96]].
  quadratic_step(adamw, W);
  require_values(W, {0.89f, 1.88f, 3.07f, 3.96f}, 1e-6);
  // The moments saw the pure gradient g0: decay never enters them.
  require_values(adamw.exp_avg(0), {0.2f, 0.4f, -0.2f, 0.0f}, 1e-7);
  // Step 2: g1 = 2 (W1 - T) = [[1.78, 3.76], [-1.86, -0.08]], W2 = 0.99 W1 - step.
  // (1, 1): m = 0.1 * -0.08 = -0.008, v = 0.001 * 0.0064 = 6.4e-6, m_hat = -0.042105,
  //   v_hat = 0.0032016 (sqrt 0.056583), step = -0.074413, W = 3.9204 + 0.074413 = 3.994813.
  // (0, 0): m = 0.18 + 0.178 = 0.358, v = 0.003996 + 0.0031684 = 0.0071644, m_hat = 1.884211,
  //   v_hat = 3.583992 (sqrt 1.893144), step = 0.099528, W = 0.8811 - 0.099528 = 0.781572.
  // (0, 1): m = 0.736, v = 0.0301216, m_hat = 3.873684, v_hat = 15.068334 (sqrt 3.881795),
  //   step = 0.099791, W = 1.8612 - 0.099791 = 1.761409.
  // (1, 0): m = -0.366, v = 0.0074556, m_hat = -1.926316, v_hat = 3.729665 (sqrt 1.931234),
  //   step = -0.099745, W = 3.0393 + 0.099745 = 3.139045.
  quadratic_step(adamw, W);
  require_values(W, {0.781572f, 1.761409f, 3.139045f, 3.994813f}, 2e-6);
}

TEST_CASE("amsgrad divides by the largest second moment seen so far", "[optim][adam]") {
  // A linear loss sum(W * C) has gradient C, so each step's gradient is chosen freely:
  // step 1 C = [[1, 1], [-1, 2]], step 2 C = [[0.01, 2], [-0.01, 2]].
  const Tensor C1 = tensor({{1.0f, 1.0f}, {-1.0f, 2.0f}});
  const Tensor C2 = tensor({{0.01f, 2.0f}, {-0.01f, 2.0f}});
  auto run = [&](bool amsgrad) {
    Tensor W = zeros(Shape{2, 2}).requires_grad_();
    optim::Adam adam({W}, {.lr = 0.1, .amsgrad = amsgrad});
    (W * C1).sum().backward();
    adam.step();
    adam.zero_grad();
    (W * C2).sum().backward();
    adam.step();
    return W;
  };
  // (0, 0): g = 1 then 0.01, so v falls from 0.001 to 0.999 * 0.001 + 0.001 * 1e-4 = 0.0009991.
  //   m = 0.09 + 0.001 = 0.091, m_hat = 0.478947.
  //   amsgrad keeps v = 0.001: v_hat = 0.500250 (sqrt 0.707284), W = -0.1 - 0.067716 = -0.167716;
  //   plain Adam: v_hat = 0.499800 (sqrt 0.706965), W = -0.1 - 0.067747 = -0.167747.
  // (0, 1): g = 1 then 2, v rises to 0.004999, both agree: m_hat = 0.29 / 0.19 = 1.526316,
  //   v_hat = 2.500750 (sqrt 1.581376), W = -0.1 - 0.096518 = -0.196518.
  // (1, 0) mirrors (0, 0). (1, 1): g = 2 twice, so m_hat = 2, v_hat = 4 and W = -0.2 exactly.
  require_values(run(true), {-0.1677164f, -0.1965182f, 0.1677164f, -0.2f}, 1e-6);
  require_values(run(false), {-0.1677469f, -0.1965182f, 0.1677469f, -0.2f}, 1e-6);
}

TEST_CASE("a parameter whose first gradient arrives late gets its own first Adam step",
          "[optim][adam]") {
  Tensor a = tensor({1.0f}).requires_grad_();
  Tensor b = tensor({1.0f}).requires_grad_();
  optim::Adam adam({a, b}, {.lr = 0.1});
  (a * 3.0f).sum().backward();  // step 1: only a has a gradient
  adam.step();
  adam.zero_grad();
  (b * 3.0f).sum().backward();  // step 2: b's first gradient
  adam.step();
  // As PyTorch's per-parameter state['step']: b is bias-corrected with t = 1, so it moves by
  // lr * sign(g) = 0.1. With the optimiser's t = 2 it would move by 0.1 * (0.3 / 0.19) /
  // sqrt(0.009 / 0.001999) = 0.074413.
  require_values(b, {0.9f}, 1e-6);
  require_values(a, {0.9f}, 1e-6);  // lazy: a had no touched rows in step 2
  REQUIRE(adam.step_count() == 2);
}
