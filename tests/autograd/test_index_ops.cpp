// select, slice and index_select have backwards of their own (not embedding's), so an
// assignment that blanks embedding_backward breaks embedding tests only; and the fast
// embedding backward equals the textbook loop it is written beside.
#include <catch2/catch.hpp>

#include "autograd/backward.h"
#include "autograd_test_utils.h"

using namespace embedlab;
using embedlab::test::Inputs;
using embedlab::test::require_values;

TEST_CASE("select, slice and index_select record their own nodes", "[autograd][index]") {
  Tensor x = tensor({{1, 2}, {3, 4}, {5, 6}}).requires_grad_();
  const Tensor ids = tensor({2, 0}, DType::Int64);
  REQUIRE(select(x, 1).grad_fn_name() == "select");
  REQUIRE(x[1].grad_fn_name() == "select");
  REQUIRE(slice(x, 0, 0, 2).grad_fn_name() == "slice");
  REQUIRE(slice(x, 1, 0, 1).grad_fn_name() == "slice");
  REQUIRE(index_select(x, 0, ids).grad_fn_name() == "index_select");
  REQUIRE(index_select(x, 1, tensor({1}, DType::Int64)).grad_fn_name() == "index_select");
}

TEST_CASE("select sends grad_out to the row or element it took", "[autograd][index]") {
  SECTION("row 1 of a (3, 2) matrix, times [10, 20]") {
    Tensor x = zeros({3, 2}).requires_grad_();
    (select(x, -2) * tensor({10, 20})).sum().backward();
    require_values(x.grad(), {3, 2}, {0, 0, 10, 20, 0, 0});
    REQUIRE(grad_row_count(x) == 1);  // row-sparse, like an embedding's gradient
  }
  SECTION("element 2 of a vector") {
    Tensor v = zeros({4}).requires_grad_();
    (v[2] * 3.0f).backward();
    require_values(v.grad(), {4}, {0, 0, 3, 0});
  }
}

TEST_CASE("slice sends grad_out back to the range it copied", "[autograd][index]") {
  Tensor x = zeros({3, 3}).requires_grad_();
  SECTION("rows 1..3") {
    slice(x, 0, 1, 3).sum().backward();
    require_values(x.grad(), {3, 3}, {0, 0, 0, 1, 1, 1, 1, 1, 1});
  }
  SECTION("columns 0..2 times [[1, 2], [3, 4], [5, 6]]") {
    (slice(x, 1, 0, 2) * tensor({{1, 2}, {3, 4}, {5, 6}})).sum().backward();
    require_values(x.grad(), {3, 3}, {1, 2, 0, 3, 4, 0, 5, 6, 0});
  }
  SECTION("elements 1..3 of a vector") {
    Tensor v = zeros({4}).requires_grad_();
    (slice(v, 0, 1, 3) * tensor({7, 8})).sum().backward();
    require_values(v.grad(), {4}, {0, 7, 8, 0});
  }
}

TEST_CASE("index_select adds the gradient of an id picked twice", "[autograd][index]") {
  // columns {1, 1, 0} of a (2, 2) matrix: column 1 gets two gradients.
  Tensor x = zeros({2, 2}).requires_grad_();
  (index_select(x, 1, tensor({1, 1, 0}, DType::Int64)) * tensor({{1, 2, 3}, {4, 5, 6}}))
      .sum()
      .backward();
  // grad[r, 1] = g[r, 0] + g[r, 1]; grad[r, 0] = g[r, 2]
  require_values(x.grad(), {2, 2}, {3, 3, 6, 9});
}

TEST_CASE("select and slice pass gradcheck", "[autograd][index][gradcheck]") {
  test::require_gradcheck([](const Inputs& in) { return select(in[0], 2); },
                          {test::random_input({4, 3}, 1)});
  test::require_gradcheck([](const Inputs& in) { return select(in[0], -1); },
                          {test::random_input({5}, 2)});
  for (int dim : {0, 1}) {
    INFO("dim " << dim);
    test::require_gradcheck([dim](const Inputs& in) { return slice(in[0], dim, 1, 3); },
                            {test::random_input({4, 4}, 3)});
  }
  test::require_gradcheck([](const Inputs& in) { return slice(in[0], 0, 0, 2); },
                          {test::random_input({5}, 4)});
}

TEST_CASE("the fast embedding backward equals the textbook loop grad[ids[i]] += grad_out[i]",
          "[autograd][embedding][task3.2]") {
  // Ids with repeats and the padding id, every option combination; grad_out with distinct
  // values so a row sent to the wrong place would show.
  const std::vector<int64_t> ids = {4, 1, 4, 0, 2, 4, 1};
  const Tensor id_tensor = from_ids(ids, Shape{7});
  std::vector<float> g(7 * 3);
  for (size_t k = 0; k < g.size(); ++k)
    g[k] = 0.5f * static_cast<float>(k) - 3.0f;
  const Tensor grad_out = from_vector(g, Shape{7, 3});
  for (int64_t padding_idx : {int64_t{-1}, int64_t{4}}) {
    for (bool by_freq : {false, true}) {
      INFO("padding_idx " << padding_idx << ", scale_grad_by_freq " << by_freq);
      const EmbeddingGrad options{.padding_idx = padding_idx, .scale_grad_by_freq = by_freq};
      Tensor W = zeros({6, 3}).requires_grad_();
      embedding(W, id_tensor, options).backward(grad_out);
      const Tensor expected = embedding_backward_reference(ids, grad_out, 6, options);
      const Tensor got = W.grad();
      for (int64_t k = 0; k < 18; ++k)
        REQUIRE(got.at(k) == Approx(expected.at(k)).margin(1e-6));
    }
  }
  // One value by hand: row 1 is looked up at positions 1 and 6, so with no options its first
  // column gets grad_out[1, 0] + grad_out[6, 0] = (0.5 * 3 - 3) + (0.5 * 18 - 3) = 4.5.
  REQUIRE(embedding_backward_reference(ids, grad_out, 6, {}).at(1, 0) == Approx(4.5f));
}
