// The compact block of an embedding's gradient (GradRows::pending_*): backward adds a batch's
// rows there instead of into the (V, D) buffer, and every way of reading the gradient sees the
// same values as if they had gone to the buffer: .grad(), the optimisers, clipping, zero_grad,
// a dense gradient arriving on top, and several backward calls with reads in between.
//
// The table is W = zeros(5, 2) unless said otherwise and the loss sum(embedding(W, ids)), so
// each looked-up row gets a gradient of 1 per occurrence.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "autograd_test_utils.h"
#include "optim/optim_test_utils.h"

using namespace embedlab;
using embedlab::test::lookup_backward;
using embedlab::test::require_values;

TEST_CASE("backward leaves an embedding's rows in the compact block until grad() reads them",
          "[autograd][embedding][compact]") {
  Tensor W = zeros({5, 2}).requires_grad_();
  lookup_backward(W, {3, 1, 3});
  // No (V, D) buffer yet; the block holds rows 3 and 1 in order of first use.
  REQUIRE_FALSE(W.impl()->grad.defined());
  REQUIRE(has_grad(W));
  REQUIRE(grad_rows_of(W).block_rows == std::vector<int64_t>{3, 1});
  REQUIRE(grad_row_count(W) == 2);
  require_values(W.grad(), {5, 2}, {0, 0, 1, 1, 0, 0, 2, 2, 0, 0});
  // Reading allocated the buffer and moved them into it, listed as touched.
  REQUIRE(W.impl()->grad.defined());
  REQUIRE(grad_rows_of(W).block_rows.empty());
  REQUIRE(grad_rows_of(W).dense_rows == std::vector<int64_t>{3, 1});
}

TEST_CASE("gradients accumulate across backward calls, with and without a read in between",
          "[autograd][embedding][compact]") {
  Tensor W = zeros({5, 2}).requires_grad_();
  lookup_backward(W, {0, 4});
  SECTION("no read: both calls add into the block") {
    lookup_backward(W, {4, 2});
    REQUIRE(grad_rows_of(W).block_rows == std::vector<int64_t>{0, 4, 2});
  }
  SECTION("a read in between: rows 0, 4 in the buffer, rows 4, 2 in the block") {
    REQUIRE(W.grad().at(4, 0) == 1.0f);
    lookup_backward(W, {4, 2});
    REQUIRE(grad_row_count(W) == 3);  // settles the two into one list: 0, 4, 2
  }
  require_values(W.grad(), {5, 2}, {1, 1, 0, 0, 1, 1, 0, 0, 2, 2});
}

TEST_CASE("lazy SGD reads the block: same step whether or not grad() was read first",
          "[autograd][embedding][compact][optim]") {
  // W = [[1,1],[2,2],[3,3]]; ids {2, 2, 0} give grad rows 0: 1, 2: 2. SGD lr 0.5, lazy:
  // row 0 -> 1 - 0.5 = 0.5, row 2 -> 3 - 0.5 * 2 = 2, row 1 unchanged.
  const bool read_first = GENERATE(false, true);
  INFO("read grad() before step: " << read_first);
  Tensor W = tensor({{1.0f, 1.0f}, {2.0f, 2.0f}, {3.0f, 3.0f}}).requires_grad_();
  optim::SGD sgd({W}, {.lr = 0.5});
  lookup_backward(W, {2, 2, 0});
  if (read_first) REQUIRE(W.grad().at(2, 1) == 2.0f);
  sgd.step();
  require_values(W, {3, 2}, {0.5f, 0.5f, 2, 2, 2, 2});
  // The step does not consume the gradient (as in PyTorch): it still reads back.
  require_values(W.grad(), {3, 2}, {1, 1, 0, 0, 2, 2});
  sgd.zero_grad();
  require_values(W.grad(), {3, 2}, {0, 0, 0, 0, 0, 0});
  REQUIRE(grad_row_count(W) == 0);
}

TEST_CASE("zero_grad empties the block's hash table, for few rows and for many",
          "[autograd][embedding][compact]") {
  // Few rows empty their own entries; many (at least 1/8 of the table) empty it whole. Either
  // way no entry may survive, or the next step would find a row in a slot that is gone.
  const int64_t rows_used = GENERATE(int64_t{3}, int64_t{900});
  INFO("rows looked up: " << rows_used);
  Tensor W = zeros({1000, 2}).requires_grad_();
  for (int round = 0; round < 2; ++round) {
    std::vector<int64_t> ids;
    for (int64_t i = 0; i < rows_used; ++i)
      ids.push_back((i * 37 + round) % 1000);
    lookup_backward(W, ids);
    REQUIRE(grad_row_count(W) == rows_used);
    zero_grad(W);
    const std::vector<int32_t>& table = grad_rows_of(W).slot_table;
    REQUIRE(std::count(table.begin(), table.end(), 0) == static_cast<std::ptrdiff_t>(table.size()));
  }
  lookup_backward(W, {5, 5});
  require_values(W.grad()[5], {2}, {2, 2});
}

TEST_CASE("Adam with dense semantics sees every row, the block's included",
          "[autograd][embedding][compact][optim]") {
  // One Adam step with bias correction moves every row with a non-zero gradient by -lr
  // (m_hat / sqrt(v_hat) = sign(g)), and rows with zero gradient not at all (m = 0).
  Tensor W = zeros({4, 2}).requires_grad_();
  optim::Adam adam({W}, {.lr = 0.1, .lazy = false});
  lookup_backward(W, {1, 3, 3});
  adam.step();
  require_values(W, {4, 2}, {0, 0, -0.1f, -0.1f, 0, 0, -0.1f, -0.1f}, 1e-6);
}

TEST_CASE("clip_grad_norm_ scales the rows in the block", "[autograd][embedding][compact][optim]") {
  // Rows 1: (1, 1) and 2: (2, 2) -> norm sqrt(1 + 1 + 4 + 4) = sqrt(10); clipped to 1.
  Tensor W = zeros({3, 2}).requires_grad_();
  lookup_backward(W, {1, 2, 2});
  const double norm = optim::clip_grad_norm_({W}, 1.0);
  REQUIRE(norm == Approx(std::sqrt(10.0)));
  const float scale = static_cast<float>(1.0 / (std::sqrt(10.0) + 1e-6));
  require_values(W.grad(), {3, 2}, {0, 0, scale, scale, 2 * scale, 2 * scale});
}

TEST_CASE("a dense gradient on top of the block adds to it", "[autograd][embedding][compact]") {
  // loss = sum(embedding(W, {0, 2})) + sum(W * W): gradient 2 W everywhere, + 1 on rows 0, 2.
  Tensor W = tensor({{1.0f, 2.0f}, {3.0f, 4.0f}, {5.0f, 6.0f}}).requires_grad_();
  (embedding(W, tensor({0, 2}, DType::Int64)).sum() + (W * W).sum()).backward();
  require_values(W.grad(), {3, 2}, {3, 5, 6, 8, 11, 13});
  REQUIRE(grad_row_count(W) == 3);  // dense now: every row
}

TEST_CASE("the block grows past its first hash table and keeps every row",
          "[autograd][embedding][compact]") {
  // 3,000 distinct rows (the table starts at 1,024 slots, half full at most), each looked up
  // once, and row 7 once more at the end: gradient 1 on rows 0..2999, 2 on row 7, 0 after.
  const int64_t V = 4000, used = 3000;
  Tensor W = zeros({V, 2}).requires_grad_();
  std::vector<int64_t> ids(static_cast<size_t>(used));
  for (int64_t i = 0; i < used; ++i)
    ids[static_cast<size_t>(i)] = (i * 7) % used;  // 7 and 3000 are coprime: a permutation
  ids.push_back(7);
  const auto count = static_cast<int64_t>(ids.size());
  embedding(W, from_ids(std::move(ids), Shape{count})).sum().backward();
  REQUIRE(grad_row_count(W) == used);
  const Tensor grad = W.grad();
  for (int64_t row = 0; row < V; ++row) {
    const float expected = row == 7 ? 2.0f : (row < used ? 1.0f : 0.0f);
    INFO("row " << row);
    REQUIRE(grad.at(row, 1) == expected);
  }
}

TEST_CASE("reset_grad drops the block with the buffer", "[autograd][embedding][compact]") {
  Tensor W = zeros({3, 2}).requires_grad_();
  lookup_backward(W, {1});
  reset_grad(W);  // what gradcheck does between its runs
  REQUIRE_FALSE(has_grad(W));
  REQUIRE_FALSE(W.grad().defined());
  (W * 2.0f).sum().backward();
  require_values(W.grad(), {3, 2}, {2, 2, 2, 2, 2, 2});
}

TEST_CASE("a training loop that never reads grad() never allocates the (V, D) buffer",
          "[autograd][embedding][compact][optim]") {
  // Three SGD steps (lr 1) on rows {0}, {2, 2}, {0}: row 0 ends at -2, row 2 at -2. The
  // gradient exists (zeroed) after the loop, and reads as zeros.
  Tensor W = zeros({4, 2}).requires_grad_();
  optim::SGD sgd({W}, {.lr = 1.0});
  for (const std::vector<int64_t>& ids : {std::vector<int64_t>{0}, {2, 2}, {0}}) {
    sgd.zero_grad();
    lookup_backward(W, ids);
    sgd.step();
  }
  sgd.zero_grad();
  REQUIRE_FALSE(W.impl()->grad.defined());
  require_values(W, {4, 2}, {-2, -2, 0, 0, -2, -2, 0, 0});
  REQUIRE(has_grad(W));
  require_values(W.grad(), {4, 2}, {0, 0, 0, 0, 0, 0, 0, 0});
}
