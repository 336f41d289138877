// nn::EmbeddingBag: sum, mean and max by hand on a tiny table, padding, the offsets form,
// per_sample_weights, empty bags, and a gradcheck of every mode.
#include <catch2/catch.hpp>

#include <algorithm>

#include "autograd/autograd_test_utils.h"

using namespace embedlab;
using embedlab::test::Inputs;
using embedlab::test::require_gradcheck;
using embedlab::test::require_values;

namespace {
// Table rows: 0 = [1, 6], 1 = [4, 2], 2 = [0, 0], 3 = [5, -1].
const std::vector<float> kTable = {1, 6, 4, 2, 0, 0, 5, -1};

nn::EmbeddingBag tiny_bag(nn::EmbeddingBagOptions options) {
  nn::EmbeddingBag bag(4, 2, options);
  NoGradGuard no_grad;
  std::copy(kTable.begin(), kTable.end(), bag.weight.data().begin());
  return bag;
}

// Values 0.25 * (i - n / 2) in a seeded order: no two closer than 0.25, so a gradcheck step
// of 0.01 never changes which row wins a max.
Tensor spaced_weight(const Shape& shape, uint64_t seed) {
  Generator generator(seed);
  Tensor x = zeros(shape);
  std::span<float> v = x.data();
  const auto n = static_cast<int64_t>(v.size());
  for (int64_t i = 0; i < n; ++i)
    v[i] = 0.25f * static_cast<float>(i - n / 2);
  for (int64_t i = n - 1; i > 0; --i)
    std::swap(v[i], v[generator.integer(0, i + 1)]);
  return x.requires_grad_();
}
}  // namespace

TEST_CASE("embedding bag pools each bag by hand", "[nn][embedding_bag]") {
  const Tensor bags = tensor({{0, 1}, {1, 3}}, DType::Int64);
  SECTION("sum: [1 + 4, 6 + 2] and [4 + 5, 2 - 1]") {
    require_values(tiny_bag({.mode = BagMode::Sum}).forward(bags), Shape{2, 2}, {5, 8, 9, 1});
  }
  SECTION("mean: the sums halved") {
    require_values(tiny_bag({.mode = BagMode::Mean}).forward(bags), Shape{2, 2},
                   {2.5f, 4, 4.5f, 0.5f});
  }
  SECTION("max: column by column, [max(1, 4), max(6, 2)] and [max(4, 5), max(2, -1)]") {
    require_values(tiny_bag({.mode = BagMode::Max}).forward(bags), Shape{2, 2}, {4, 6, 5, 2});
  }
}

TEST_CASE("padding ids are left out of the bag and of the mean's count",
          "[nn][embedding_bag][padding]") {
  nn::EmbeddingBag bag = tiny_bag({.mode = BagMode::Mean, .padding_idx = 2});
  // Bag [0, 2]: only row 0 counts, so the mean is [1, 6] / 1, not [1, 6] / 2.
  require_values(bag.forward(tensor({{0, 2}}, DType::Int64)), Shape{1, 2}, {1, 6});
}

TEST_CASE("the offsets form equals the (B, L) form", "[nn][embedding_bag]") {
  for (BagMode mode : {BagMode::Sum, BagMode::Mean, BagMode::Max}) {
    nn::EmbeddingBag bag = tiny_bag({.mode = mode});
    const Tensor matrix = bag.forward(tensor({{0, 1}, {1, 3}}, DType::Int64));
    const Tensor flat =
        bag.forward(tensor({0, 1, 1, 3}, DType::Int64), tensor({0, 2}, DType::Int64));
    require_values(flat, Shape{2, 2},
                   std::vector<float>(matrix.data().begin(), matrix.data().end()));
  }
}

TEST_CASE("per_sample_weights scale each looked-up row", "[nn][embedding_bag]") {
  nn::EmbeddingBag bag = tiny_bag({.mode = BagMode::Sum});
  const Tensor out = bag.forward(tensor({0, 1, 1, 3}, DType::Int64), tensor({0, 2}, DType::Int64),
                                 tensor({2, 0.5f, 1, -1}));
  // Bag 0: 2 [1, 6] + 0.5 [4, 2] = [4, 13].  Bag 1: [4, 2] - [5, -1] = [-1, 3].
  require_values(out, Shape{2, 2}, {4, 13, -1, 3});

  SECTION("they need mode Sum") {
    nn::EmbeddingBag mean_bag = tiny_bag({.mode = BagMode::Mean});
    REQUIRE_THROWS_AS(
        mean_bag.forward(tensor({0, 1}, DType::Int64), tensor({0}, DType::Int64), tensor({1, 1})),
        ShapeError);
  }
}

TEST_CASE("an empty bag gives a zero row", "[nn][embedding_bag]") {
  for (BagMode mode : {BagMode::Sum, BagMode::Mean, BagMode::Max}) {
    nn::EmbeddingBag bag = tiny_bag({.mode = mode});
    // Bags [0, 2) = {0, 1}, [2, 2) = {}, [2, 3) = {3}.
    const Tensor out =
        bag.forward(tensor({0, 1, 3}, DType::Int64), tensor({0, 2, 2}, DType::Int64));
    REQUIRE(out.shape() == Shape{3, 2});
    REQUIRE(out.at(1, 0) == 0.0f);
    REQUIRE(out.at(1, 1) == 0.0f);
    REQUIRE(out.at(2, 0) == Approx(5.0f));
  }
}

TEST_CASE("embedding bag errors name the problem", "[nn][embedding_bag][errors]") {
  nn::EmbeddingBag bag = tiny_bag({});
  REQUIRE_THROWS_AS(bag.forward(tensor({{0.0f, 1.0f}})), TypeError);
  REQUIRE_THROWS_WITH(bag.forward(tensor({{0, 9}}, DType::Int64)),
                      Catch::Contains("id 9 at position 1 out of range [0, 4)"));
  REQUIRE_THROWS_AS(bag.forward(tensor({0, 1}, DType::Int64)), ShapeError);  // flat, no offsets
}

TEST_CASE("embedding bag gradients match finite differences", "[nn][embedding_bag][gradcheck]") {
  const Tensor ids = tensor({0, 1, 4, 1, 3, 2, 2}, DType::Int64);
  const Tensor offsets = tensor({0, 3, 3, 5}, DType::Int64);  // includes an empty bag
  for (BagMode mode : {BagMode::Sum, BagMode::Mean, BagMode::Max}) {
    INFO("mode " << static_cast<int>(mode));
    require_gradcheck([&](const Inputs& in) { return embedding_bag(in[0], ids, offsets, mode); },
                      {spaced_weight({5, 3}, 21)});
  }
  SECTION("with padding excluded from the mean") {
    require_gradcheck(
        [&](const Inputs& in) {
          return embedding_bag(in[0], ids, offsets, BagMode::Mean, Tensor(), 2);
        },
        {spaced_weight({5, 3}, 22)});
  }
  SECTION("with per_sample_weights, for the table and the weights") {
    Generator generator(5);
    Tensor psw = randn({7}, generator).requires_grad_();
    require_gradcheck(
        [&](const Inputs& in) { return embedding_bag(in[0], ids, offsets, BagMode::Sum, in[1]); },
        {spaced_weight({5, 3}, 23), psw});
  }
}
