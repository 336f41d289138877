// nn::Embedding: lookups of rank-0 and rank-1 ids, padding, max_norm, scale_grad_by_freq,
// from_pretrained, the errors, and an SGD step that changes only the looked-up rows.
#include <catch2/catch.hpp>

#include "autograd/autograd_test_utils.h"

using namespace embedlab;
using embedlab::test::require_values;

namespace {
// A (4, 2) table with rows [0, 1], [2, 3], [4, 5], [6, 7], trainable.
std::shared_ptr<nn::Embedding> small_table(nn::EmbeddingOptions options = {}) {
  return nn::Embedding::from_pretrained(tensor({{0, 1}, {2, 3}, {4, 5}, {6, 7}}), false, options);
}
}  // namespace

TEST_CASE("an embedding looks up one row per id", "[nn][embedding]") {
  auto embed = small_table();
  SECTION("a rank-0 id gives a (D) vector") {
    require_values(embed->forward(tensor(2.0f, DType::Int64)), Shape{2}, {4, 5});
  }
  SECTION("rank-1 ids (N) give an (N, D) matrix, repeats included") {
    require_values(embed->forward(tensor({3, 0, 3}, DType::Int64)), Shape{3, 2},
                   {6, 7, 0, 1, 6, 7});
  }
  SECTION("weights start as N(0, 1) draws of the right shape") {
    nn::Embedding fresh(10, 3);
    REQUIRE(fresh.weight.shape() == Shape{10, 3});
    REQUIRE(fresh.weight.requires_grad());
    REQUIRE(fresh.extra_repr() == "10, 3");
  }
}

TEST_CASE("embedding errors name the problem", "[nn][embedding][errors]") {
  auto embed = small_table();
  SECTION("rank-2 ids point to EmbeddingBag") {
    REQUIRE_THROWS_AS(embed->forward(tensor({{0, 1}, {2, 3}}, DType::Int64)), ShapeError);
    REQUIRE_THROWS_WITH(embed->forward(tensor({{0, 1}, {2, 3}}, DType::Int64)),
                        Catch::Contains("EmbeddingBag"));
  }
  SECTION("float ids are a TypeError") {
    REQUIRE_THROWS_AS(embed->forward(tensor({0, 1})), TypeError);
  }
  SECTION("an id out of range gives id, position and range") {
    REQUIRE_THROWS_AS(embed->forward(tensor({0, 4}, DType::Int64)), IndexError);
    REQUIRE_THROWS_WITH(embed->forward(tensor({0, 4}, DType::Int64)),
                        Catch::Contains("id 4 at position 1 out of range [0, 4)"));
  }
  SECTION("padding_idx out of range gives the allowed range") {
    REQUIRE_THROWS_AS(nn::Embedding(5, 2, {.padding_idx = 5}), IndexError);
    REQUIRE_THROWS_WITH(nn::Embedding(5, 2, {.padding_idx = -6}),
                        Catch::Contains("padding_idx -6 out of range [-5, 5)"));
  }
  SECTION("sizes must be positive") {
    REQUIRE_THROWS_AS(nn::Embedding(0, 2), ValueError);
  }
}

TEST_CASE("padding_idx starts at zero and never gets a gradient", "[nn][embedding][padding]") {
  Generator generator(3);
  nn::Embedding embed(5, 2, {.padding_idx = 1}, generator);
  require_values(embed.forward(tensor(1.0f, DType::Int64)), Shape{2}, {0, 0});

  embed.forward(tensor({1, 2, 1}, DType::Int64)).sum().backward();
  // Row 2 was looked up once: gradient 1 per element. Row 1 is padding: 0 despite two lookups.
  require_values(embed.weight.grad(), Shape{5, 2}, {0, 0, 0, 0, 1, 1, 0, 0, 0, 0});

  SECTION("padding_idx = -1 means the last row") {
    nn::Embedding last(5, 2, {.padding_idx = -1}, generator);
    REQUIRE(last.options().padding_idx.value() == 4);
    require_values(last.forward(tensor(4.0f, DType::Int64)), Shape{2}, {0, 0});
    REQUIRE(last.extra_repr() == "5, 2, padding_idx=4");
  }
}

TEST_CASE("max_norm renormalises only the looked-up rows", "[nn][embedding][max_norm]") {
  // Row norms: |[3, 4]| = 5, |[0.6, 0.8]| = 1, |[6, 8]| = 10.
  auto embed = nn::Embedding::from_pretrained(tensor({{3, 4}, {0.6f, 0.8f}, {6, 8}}), false,
                                              {.max_norm = 2.0f});
  Tensor out = embed->forward(tensor({0, 1}, DType::Int64));
  // Row 0 is scaled by 2 / 5 to [1.2, 1.6]; row 1 is under the limit; row 2 was not looked up.
  require_values(out, Shape{2, 2}, {1.2f, 1.6f, 0.6f, 0.8f}, 1e-5);
  require_values(embed->weight, Shape{3, 2}, {1.2f, 1.6f, 0.6f, 0.8f, 6, 8}, 1e-5);
}

TEST_CASE("scale_grad_by_freq divides an id's gradient by its count", "[nn][embedding]") {
  // loss = sum(out * c): row i of out gets gradient c[i, :].
  const Tensor ids = tensor({1, 1, 2}, DType::Int64);
  const Tensor c = tensor({{1, 2}, {3, 4}, {5, 6}});
  SECTION("without scaling id 1 gets [1 + 3, 2 + 4] = [4, 6]") {
    auto embed = small_table();
    (embed->forward(ids) * c).sum().backward();
    require_values(embed->weight.grad(), Shape{4, 2}, {0, 0, 4, 6, 5, 6, 0, 0});
  }
  SECTION("with scaling id 1, seen twice, gets half: [2, 3]; id 2, seen once, [5, 6]") {
    auto embed = small_table({.scale_grad_by_freq = true});
    (embed->forward(ids) * c).sum().backward();
    require_values(embed->weight.grad(), Shape{4, 2}, {0, 0, 2, 3, 5, 6, 0, 0});
  }
}

TEST_CASE("from_pretrained copies the weights and freezes them", "[nn][embedding]") {
  Tensor source = tensor({{1, 2}, {3, 4}});
  auto embed = nn::Embedding::from_pretrained(source);
  source.data()[0] = 100.0f;  // the layer holds its own copy
  REQUIRE(embed->weight.at(0, 0) == Approx(1.0f));
  REQUIRE_FALSE(embed->weight.requires_grad());
  REQUIRE_FALSE(embed->weight.requires_grad());  // so no optimiser trains it
  REQUIRE_FALSE(embed->forward(tensor({1}, DType::Int64)).requires_grad());
  REQUIRE_THROWS_AS(nn::Embedding::from_pretrained(tensor({1, 2})), ShapeError);
}

TEST_CASE("an SGD step changes only the looked-up rows", "[nn][embedding][optim]") {
  Generator generator(11);
  nn::Embedding embed(6, 2, {}, generator);
  const Tensor before = embed.weight.detach().clone();
  optim::SGD sgd(embed.parameters(), {.lr = 0.1});
  embed.forward(tensor({1, 3}, DType::Int64)).sum().backward();
  sgd.step();
  // d loss / d w = 1 for every element of rows 1 and 3, so they move by -0.1; the rest stay.
  for (int64_t row = 0; row < 6; ++row) {
    const float delta = (row == 1 || row == 3) ? -0.1f : 0.0f;
    for (int64_t col = 0; col < 2; ++col) {
      INFO("row " << row << " col " << col);
      REQUIRE(embed.weight.at(row, col) == Approx(before.at(row, col) + delta).margin(1e-6));
    }
  }
  REQUIRE(grad_row_count(embed.weight) == 2);
}
