// Lazy versus dense optimiser steps on an embedding table, and zero_grad on touched rows.
//
// The table is W = [[1, 1], [2, 2], [3, 3], [4, 4]] (V = 4, D = 2) and the loss
// sum(embedding(W, ids)), so every looked-up row gets a gradient of ones. Step 1 looks up
// rows {0, 1}, step 2 row {2}; row 3 is never used. With lazy = true step 2 visits only
// row 2; with lazy = false it visits every row, as torch.optim does with a dense gradient.
#include <catch2/catch.hpp>

#include "optim_test_utils.h"

using namespace embedlab;
using embedlab::test::lookup_backward;
using embedlab::test::quadratic_step;
using embedlab::test::require_values;
using embedlab::test::start_weights;

namespace {

Tensor make_table() {
  return tensor({{1.0f, 1.0f}, {2.0f, 2.0f}, {3.0f, 3.0f}, {4.0f, 4.0f}}).requires_grad_();
}

// Step 1 on rows {0, 1}, step 2 on row {2}, zeroing the gradient before each.
void two_lookup_steps(optim::Optimizer& optimizer, const Tensor& W) {
  optimizer.zero_grad();
  lookup_backward(W, {0, 1});
  optimizer.step();
  optimizer.zero_grad();
  lookup_backward(W, {2});
  optimizer.step();
}

}  // namespace

TEST_CASE("lazy SGD momentum leaves rows without a gradient where they are", "[optim][lazy][sgd]") {
  Tensor W = make_table();
  SECTION("lazy: rows 0 and 1 stop after step 1") {
    optim::SGD sgd({W}, {.lr = 0.1, .momentum = 0.9});
    // Step 1: rows 0, 1: buf = 1, W -= 0.1. Step 2: row 2: its buffer is still 0, so
    // buf = 0.9 * 0 + 1 = 1 and W -= 0.1; rows 0, 1 are not visited.
    two_lookup_steps(sgd, W);
    require_values(W, {0.9f, 0.9f, 1.9f, 1.9f, 2.9f, 2.9f, 4.0f, 4.0f});
  }
  SECTION("dense: momentum keeps moving rows 0 and 1 in step 2") {
    optim::SGD sgd({W}, {.lr = 0.1, .momentum = 0.9, .lazy = false});
    // Step 2: rows 0, 1 have g = 0, so buf = 0.9 * 1 = 0.9 and W = 0.9 - 0.09 = 0.81;
    // row 2 as lazy; row 3 had g = 0 and buf = 0 throughout.
    two_lookup_steps(sgd, W);
    require_values(W, {0.81f, 0.81f, 1.81f, 1.81f, 2.9f, 2.9f, 4.0f, 4.0f});
  }
}

TEST_CASE("lazy Adam leaves rows without a gradient where they are", "[optim][lazy][adam]") {
  Tensor W = make_table();
  // Row 2 is the same either way: its moments are 0 until step 2, then m = 0.1, v = 0.001,
  // with t = 2 (the parameter's step): m_hat = 0.1 / 0.19 = 0.526316, v_hat = 0.001 / 0.001999
  // = 0.500250 (sqrt 0.707284), step = 0.1 * 0.744133, W = 3 - 0.074413 = 2.925587.
  SECTION("lazy: rows 0 and 1 stop after step 1, as torch.optim.SparseAdam") {
    optim::Adam adam({W}, {.lr = 0.1});
    two_lookup_steps(adam, W);
    require_values(W, {0.9f, 0.9f, 1.9f, 1.9f, 2.925587f, 2.925587f, 4.0f, 4.0f}, 2e-6);
  }
  SECTION("dense: the first moment keeps moving rows 0 and 1 in step 2") {
    optim::Adam adam({W}, {.lr = 0.1, .lazy = false});
    // Rows 0, 1 in step 2: g = 0, m = 0.09, v = 0.000999, m_hat = 0.473684,
    // v_hat = 0.499750 (sqrt 0.706930), step = 0.1 * 0.670060, W = 0.9 - 0.067006.
    // Row 3: m = v = 0 both steps, so the step is 0 / (0 + eps) = 0.
    two_lookup_steps(adam, W);
    require_values(
        W, {0.832994f, 0.832994f, 1.832994f, 1.832994f, 2.925587f, 2.925587f, 4.0f, 4.0f}, 2e-6);
  }
}

TEST_CASE("lazy and dense agree when the gradient is dense", "[optim][lazy]") {
  Tensor lazy_W = start_weights();
  Tensor dense_W = start_weights();
  optim::SGD lazy_sgd({lazy_W}, {.lr = 0.1, .momentum = 0.9});
  optim::SGD dense_sgd({dense_W}, {.lr = 0.1, .momentum = 0.9, .lazy = false});
  for (int step = 0; step < 3; ++step) {
    quadratic_step(lazy_sgd, lazy_W);
    quadratic_step(dense_sgd, dense_W);
  }
  for (int64_t i = 0; i < 4; ++i)
    REQUIRE(lazy_W.data()[i] == dense_W.data()[i]);
}

TEST_CASE("zero_grad zeroes the touched rows and grad_row_count drops to 0",
          "[optim][lazy][zero_grad]") {
  Tensor W = make_table();
  optim::SGD sgd({W}, {.lr = 0.1});
  REQUIRE(grad_row_count(W) == 0);  // no gradient yet
  lookup_backward(W, {0, 1, 1});
  REQUIRE(grad_row_count(W) == 2);  // row 1 looked up twice is listed once
  require_values(W.grad(), {1.0f, 1.0f, 2.0f, 2.0f, 0.0f, 0.0f, 0.0f, 0.0f});
  SECTION("the touched rows become zero") {
    sgd.zero_grad();
    REQUIRE(grad_row_count(W) == 0);
    require_values(W.grad(), {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f});
  }
  SECTION("an untouched row is not even visited") {
    // Plant a value in row 3 behind the bookkeeping's back: zero_grad must not see it, which
    // shows it costs O(touched rows x D), not O(V x D).
    W.grad().data()[3 * 2] = 5.0f;
    sgd.zero_grad();
    REQUIRE(W.grad().at(3, 0) == 5.0f);
    REQUIRE(W.grad().at(1, 1) == 0.0f);
  }
  SECTION("the next backward lists only its own rows") {
    sgd.zero_grad();
    lookup_backward(W, {2});
    REQUIRE(grad_row_count(W) == 1);
  }
}
