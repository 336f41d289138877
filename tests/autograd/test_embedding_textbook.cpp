// The textbook embedding lookup and backward (course-assignment tasks 3.1 and 3.2): values
// worked out by hand, and the same numbers as the fast embedding() and its backward.
#include <catch2/catch.hpp>

#include <vector>

#include "autograd/backward.h"
#include "autograd_test_utils.h"

using namespace embedlab;
using embedlab::test::require_values;

namespace {
const std::vector<int64_t> kIds = {2, 0, 2};  // row 2 twice, row 1 never

Tensor table() {
  return tensor({{1, 2}, {3, 4}, {5, 6}});
}
}  // namespace

TEST_CASE("the textbook lookup takes row ids[i] of the table for each id",
          "[autograd][embedding][textbook][task3.1]") {
  require_values(embedding_forward_reference(table(), kIds), {3, 2}, {5, 6, 1, 2, 5, 6});
  REQUIRE(embedding_forward_reference(table(), {}).shape() == Shape{0, 2});
}

TEST_CASE("the textbook lookup equals embedding() on a random table",
          "[autograd][embedding][textbook][task3.1]") {
  Generator generator(11);
  const Tensor W = randn({50, 7}, generator);
  const std::vector<int64_t> ids = {49, 0, 3, 3, 17, 49, 8};
  const Tensor fast = embedding(W, from_ids(ids, Shape{7}));
  const Tensor ours = embedding_forward_reference(W, ids);
  REQUIRE(ours.shape() == fast.shape());
  for (int64_t k = 0; k < fast.numel(); ++k)
    REQUIRE(ours.data()[k] == fast.data()[k]);  // a copy: exactly equal
}

TEST_CASE("the textbook backward adds grad_out's rows into the rows the lookup read",
          "[autograd][embedding][textbook][task3.2]") {
  const Tensor grad_out = tensor({{1, 1}, {2, 2}, {3, 3}});
  SECTION("row 2 gets rows 0 and 2 of grad_out, row 0 gets row 1, row 1 nothing") {
    require_values(embedding_backward_reference(kIds, grad_out, 3, {}), {3, 2}, {2, 2, 0, 0, 4, 4});
  }
  SECTION("the padding id gets no gradient") {
    require_values(embedding_backward_reference(kIds, grad_out, 3, {.padding_idx = 2}), {3, 2},
                   {2, 2, 0, 0, 0, 0});
  }
  SECTION("scale_grad_by_freq divides by the count of each id: row 2 gets (1 + 3) / 2") {
    require_values(embedding_backward_reference(kIds, grad_out, 3, {.scale_grad_by_freq = true}),
                   {3, 2}, {2, 2, 0, 0, 2, 2});
  }
}

TEST_CASE("the textbook lookup and backward check their arguments",
          "[autograd][embedding][errors]") {
  REQUIRE_THROWS_AS(embedding_forward_reference(table(), std::vector<int64_t>{3}), IndexError);
  REQUIRE_THROWS_WITH(embedding_forward_reference(table(), std::vector<int64_t>{0, -1}),
                      Catch::Contains("id -1 at position 1 out of range [0, 3)"));
  REQUIRE_THROWS_AS(embedding_backward_reference(kIds, zeros({2, 2}), 3, {}), ShapeError);
}
