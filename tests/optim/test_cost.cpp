// The cost property behind lazy steps, checked without timing: on a V = 100,000 x D = 16
// table where each step looks up 8 rows, a lazy step visits (grad_row_count) and changes
// exactly those 8 rows, for every optimiser; a dense AdamW step changes all 100,000.
#include <catch2/catch.hpp>

#include <memory>
#include <set>
#include <vector>

#include "optim_test_utils.h"

using namespace embedlab;
using embedlab::test::lookup_backward;

namespace {

constexpr int64_t V = 100'000, D = 16, kRowsPerStep = 8;

// The 8 distinct rows step `step` looks up, spread over the table: (step * 7919 + k * 12011)
// mod V for k = 0..7 (k * 12011 < V, so they differ).
std::vector<int64_t> rows_of_step(int64_t step) {
  std::vector<int64_t> rows;
  for (int64_t k = 0; k < kRowsPerStep; ++k)
    rows.push_back((step * 7919 + k * 12011) % V);
  return rows;
}

// Returns the rows of W whose values differ from `before`.
std::set<int64_t> changed_rows(const Tensor& W, const std::vector<float>& before) {
  std::set<int64_t> rows;
  const std::span<const float> now = W.data();
  for (int64_t r = 0; r < V; ++r) {
    for (int64_t c = 0; c < D; ++c) {
      if (now[r * D + c] != before[r * D + c]) {
        rows.insert(r);
        break;
      }
    }
  }
  return rows;
}

// Runs `steps` lazy steps and checks each visits and changes only its 8 rows.
void require_sparse_steps(optim::Optimizer& optimizer, const Tensor& W, int64_t steps) {
  for (int64_t step = 0; step < steps; ++step) {
    INFO(optimizer.name() << " step " << step);
    const std::vector<int64_t> rows = rows_of_step(step);
    const std::vector<float> before(W.data().begin(), W.data().end());
    optimizer.zero_grad();
    REQUIRE(grad_row_count(W) == 0);
    lookup_backward(W, rows);
    REQUIRE(grad_row_count(W) == kRowsPerStep);
    optimizer.step();
    REQUIRE(changed_rows(W, before) == std::set<int64_t>(rows.begin(), rows.end()));
  }
}

Tensor make_table() {
  Generator generator(3);
  return randn(Shape{V, D}, generator).requires_grad_();
}

}  // namespace

TEST_CASE("a lazy step on a 100,000-row table updates only the 8 rows looked up",
          "[optim][lazy][cost]") {
  Tensor W = make_table();
  REQUIRE(W.numel() == 1'600'000);
  const int64_t steps = 4;
  std::unique_ptr<optim::Optimizer> optimizer;
  SECTION("SGD with momentum and weight decay") {
    optimizer = std::make_unique<optim::SGD>(
        std::vector<Tensor>{W},
        optim::SGDOptions{.lr = 0.1, .momentum = 0.9, .weight_decay = 0.01});
  }
  SECTION("Adam") {
    optimizer = std::make_unique<optim::Adam>(std::vector<Tensor>{W}, optim::AdamOptions{});
  }
  SECTION("AdamW, whose decay would otherwise shrink every row") {
    optimizer = std::make_unique<optim::AdamW>(std::vector<Tensor>{W},
                                               optim::AdamOptions{.weight_decay = 0.01});
  }
  require_sparse_steps(*optimizer, W, steps);
  optimizer->zero_grad();
  REQUIRE(grad_row_count(W) == 0);
}

TEST_CASE("a lazy Adagrad step on a 100,000-row table updates only the 8 rows looked up",
          "[optim][lazy][cost][task5.1]") {
  Tensor W = make_table();
  optim::Adagrad adagrad({W}, optim::AdagradOptions{});
  require_sparse_steps(adagrad, W, 4);
  adagrad.zero_grad();
  REQUIRE(grad_row_count(W) == 0);
}

TEST_CASE("a dense AdamW step on the same table changes every row", "[optim][lazy][cost]") {
  Tensor W = make_table();
  optim::AdamW adamw({W}, {.weight_decay = 0.01, .lazy = false});
  const std::vector<float> before(W.data().begin(), W.data().end());
  lookup_backward(W, rows_of_step(0));
  adamw.step();
  REQUIRE(grad_row_count(W) == kRowsPerStep);  // the gradient is still sparse...
  REQUIRE(changed_rows(W, before).size() == static_cast<size_t>(V));  // ...the step is not
}
