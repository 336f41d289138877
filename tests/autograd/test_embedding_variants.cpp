// The embedding variants of ops.h at the function level: embedding with EmbeddingGrad
// (padding_idx, scale_grad_by_freq) and embedding_bag in its three modes. nn::Embedding and
// nn::EmbeddingBag have their own tests in tests/nn/.
#include <catch2/catch.hpp>

#include "autograd_test_utils.h"

using namespace embedlab;
using embedlab::test::Inputs;
using embedlab::test::require_values;
using embedlab::test::table;

TEST_CASE("padding_idx looks up its row but sends it no gradient", "[autograd][embedding]") {
  Tensor w = table().requires_grad_();
  const Tensor ids = tensor({3, 1, 3}, DType::Int64);
  const Tensor out = embedding(w, ids, EmbeddingGrad{.padding_idx = 1});
  require_values(out, {3, 2}, {6, 7, 2, 3, 6, 7});
  out.sum().backward();
  REQUIRE(w.grad().at(3, 0) == 2.0f);  // looked up twice
  REQUIRE(w.grad().at(1, 0) == 0.0f);  // the padding row
}

TEST_CASE("scale_grad_by_freq divides each id's gradient by its count in the batch",
          "[autograd][embedding]") {
  Tensor w = table().requires_grad_();
  const Tensor ids = tensor({3, 1, 3}, DType::Int64);
  embedding(w, ids, EmbeddingGrad{.scale_grad_by_freq = true}).sum().backward();
  REQUIRE(w.grad().at(3, 1) == Approx(1.0f).margin(1e-6));  // 2 uses x 1/2
  REQUIRE(w.grad().at(1, 1) == Approx(1.0f).margin(1e-6));  // 1 use x 1/1
}

TEST_CASE("embedding_bag sums, averages or takes the max of each bag",
          "[autograd][embedding_bag]") {
  Tensor w = table();
  const Tensor bags = from_ids({1, 2, 3, 3}, Shape{2, 2});  // bags {1, 2} and {3, 3}
  const Tensor undefined;
  // rows 1, 2, 3 are [2, 3], [4, 5], [6, 7]
  require_values(embedding_bag(w, bags, undefined, BagMode::Sum), {2, 2}, {6, 8, 12, 14});
  require_values(embedding_bag(w, bags, undefined, BagMode::Mean), {2, 2}, {3, 4, 6, 7});
  require_values(embedding_bag(w, bags, undefined, BagMode::Max), {2, 2}, {4, 5, 6, 7});
  SECTION("flat ids with offsets give the same bags") {
    const Tensor flat = tensor({1, 2, 3, 3}, DType::Int64);
    const Tensor offsets = tensor({0, 2}, DType::Int64);
    require_values(embedding_bag(w, flat, offsets, BagMode::Sum), {2, 2}, {6, 8, 12, 14});
  }
}

TEST_CASE("embedding_bag passes gradcheck in every mode", "[autograd][embedding_bag][gradcheck]") {
  const Tensor bags = from_ids({0, 2, 5, 1, 4, 3}, Shape{2, 3});
  for (BagMode mode : {BagMode::Sum, BagMode::Mean, BagMode::Max}) {
    INFO("mode " << static_cast<int>(mode));
    test::require_gradcheck(
        [&bags, mode](const Inputs& in) { return embedding_bag(in[0], bags, Tensor(), mode); },
        {test::spaced_input({6, 3}, 1)});
  }
  SECTION("per_sample_weights get their gradient too") {
    auto f = [&bags](const Inputs& in) {
      return embedding_bag(in[0], bags, Tensor(), BagMode::Sum, in[1]);
    };
    test::require_gradcheck(f, {test::random_input({6, 3}, 2), test::random_input({2, 3}, 3)});
  }
}
