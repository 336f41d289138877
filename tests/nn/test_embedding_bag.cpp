// nn::EmbeddingBag: sum, mean and max by hand on a tiny table, padding, the offsets form,
// per_sample_weights, empty bags, and a gradcheck of every mode.
#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>

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

// ---- include_last_offset, max_norm in the op, and gradients by hand ----

namespace {
// The tiny table as a leaf, and five ids in two bags {0, 1} and {1, 3, 2}, given as PyTorch's
// include_last_offset form: B + 1 = 3 offsets, the last one N = 5.
Tensor tiny_table() {
  return from_vector(kTable, Shape{4, 2}).requires_grad_();
}
Tensor five_ids() {
  return tensor({0, 1, 1, 3, 2}, DType::Int64);
}
Tensor two_bags_and_end() {
  return tensor({0, 2, 5}, DType::Int64);
}

EmbeddingBagFuncOptions last_offset(BagMode mode, int64_t padding_idx = -1) {
  return {.mode = mode, .padding_idx = padding_idx, .include_last_offset = true};
}

// d(sum(out * G))/d out = G: bag 0 sends [1, 2], bag 1 sends [3, 4].
void backward_with_g(const Tensor& out) {
  (out * tensor({{1, 2}, {3, 4}})).sum().backward();
}
}  // namespace

TEST_CASE("include_last_offset: B + 1 offsets, the last the number of ids, give B bags",
          "[nn][embedding_bag][include_last_offset]") {
  const Tensor ids5 = five_ids(), ends = two_bags_and_end();
  SECTION("sum: [1 + 4, 6 + 2] and [4 + 5 + 0, 2 - 1 + 0]") {
    require_values(embedding_bag(tiny_table(), ids5, ends, last_offset(BagMode::Sum)), Shape{2, 2},
                   {5, 8, 9, 1});
  }
  SECTION("mean: [5, 8] / 2 and [9, 1] / 3") {
    require_values(embedding_bag(tiny_table(), ids5, ends, last_offset(BagMode::Mean)), Shape{2, 2},
                   {2.5f, 4, 3, 1.0f / 3});
  }
  SECTION("max: [max(1, 4), max(6, 2)] and [max(4, 5, 0), max(2, -1, 0)]") {
    require_values(embedding_bag(tiny_table(), ids5, ends, last_offset(BagMode::Max)), Shape{2, 2},
                   {4, 6, 5, 2});
  }
  SECTION("without it the same offsets mean 3 bags, the last one [5, 5) empty") {
    require_values(embedding_bag(tiny_table(), ids5, ends, BagMode::Sum), Shape{3, 2},
                   {5, 8, 9, 1, 0, 0});
  }
  SECTION("per_sample_weights [2, 0.5, 1, -1, 3]: 2 [1, 6] + 0.5 [4, 2] and [4, 2] - [5, -1]") {
    EmbeddingBagFuncOptions options = last_offset(BagMode::Sum);
    options.per_sample_weights = tensor({2, 0.5f, 1, -1, 3});
    require_values(embedding_bag(tiny_table(), ids5, ends, options), Shape{2, 2}, {4, 13, -1, 3});
  }
  SECTION("padding_idx 1 leaves id 1 out of both bags (and of the mean's count)") {
    // Kept: bag 0 {0}, bag 1 {3, 2}.
    require_values(embedding_bag(tiny_table(), ids5, ends, last_offset(BagMode::Sum, 1)),
                   Shape{2, 2}, {1, 6, 5, -1});
    require_values(embedding_bag(tiny_table(), ids5, ends, last_offset(BagMode::Mean, 1)),
                   Shape{2, 2}, {1, 6, 2.5f, -0.5f});
    require_values(embedding_bag(tiny_table(), ids5, ends, last_offset(BagMode::Max, 1)),
                   Shape{2, 2}, {1, 6, 5, 0});
  }
  SECTION("an empty bag in the middle: offsets [0, 2, 2, 5]") {
    require_values(embedding_bag(tiny_table(), ids5, tensor({0, 2, 2, 5}, DType::Int64),
                                 last_offset(BagMode::Mean)),
                   Shape{3, 2}, {2.5f, 4, 0, 0, 3, 1.0f / 3});
  }
  SECTION("the module takes it as an option") {
    nn::EmbeddingBag bag = tiny_bag({.mode = BagMode::Sum, .include_last_offset = true});
    require_values(bag.forward(ids5, ends), Shape{2, 2}, {5, 8, 9, 1});
  }
  SECTION("(B, L) ids have no offsets, so it changes nothing") {
    const Tensor matrix = tensor({{0, 1}, {1, 3}}, DType::Int64);
    require_values(embedding_bag(tiny_table(), matrix, Tensor(), last_offset(BagMode::Sum)),
                   Shape{2, 2}, {5, 8, 9, 1});
  }
}

TEST_CASE("include_last_offset errors name the offsets and the number of ids",
          "[nn][embedding_bag][include_last_offset][errors]") {
  const Tensor w = tiny_table();
  const Tensor ids5 = five_ids();
  REQUIRE_THROWS_AS(
      embedding_bag(w, ids5, tensor({0, 2, 4}, DType::Int64), last_offset(BagMode::Sum)),
      ValueError);
  REQUIRE_THROWS_WITH(
      embedding_bag(w, ids5, tensor({0, 2, 4}, DType::Int64), last_offset(BagMode::Sum)),
      Catch::Contains("the last offset (offset 2) must be the number of ids, 5; it is 4"));
  REQUIRE_THROWS_WITH(
      embedding_bag(w, ids5, from_ids({}, Shape{0}), last_offset(BagMode::Sum)),
      Catch::Contains("offsets needs B + 1 entries") && Catch::Contains("number of ids (5)"));
  REQUIRE_THROWS_WITH(
      embedding_bag(w, ids5, tensor({0, 3, 2, 5}, DType::Int64), last_offset(BagMode::Sum)),
      Catch::Contains("ascend within [0, 5]; offset 2 is 2"));
  REQUIRE_THROWS_WITH(
      embedding_bag(w, ids5, tensor({0, 6}, DType::Int64), last_offset(BagMode::Sum)),
      Catch::Contains("offset 1 is 6"));
  REQUIRE_THROWS_WITH(
      embedding_bag(w, ids5, tensor({1, 5}, DType::Int64), last_offset(BagMode::Sum)),
      Catch::Contains("start at 0") && Catch::Contains("offset 0 is 1"));
  REQUIRE_THROWS_WITH(embedding_bag(w, ids5, from_ids({0, 5}, Shape{1, 2}), BagMode::Sum),
                      Catch::Contains("offsets must be a vector, got shape (1, 2)"));
}

TEST_CASE("embedding bag gradients by hand, with include_last_offset",
          "[nn][embedding_bag][include_last_offset][gradients]") {
  Tensor w = tiny_table();
  const Tensor ids5 = five_ids(), ends = two_bags_and_end();
  SECTION("sum: each id's row gets its bag's G row") {
    backward_with_g(embedding_bag(w, ids5, ends, last_offset(BagMode::Sum)));
    // row 0: [1, 2]; row 1: [1, 2] + [3, 4]; rows 3 and 2: [3, 4]
    require_values(w.grad(), Shape{4, 2}, {1, 2, 4, 6, 3, 4, 3, 4});
  }
  SECTION("mean: G divided by the bag's size, 2 and 3") {
    backward_with_g(embedding_bag(w, ids5, ends, last_offset(BagMode::Mean)));
    // row 0: [0.5, 1]; row 1: [0.5, 1] + [1, 4/3]; rows 2 and 3: [1, 4/3]
    require_values(w.grad(), Shape{4, 2}, {0.5f, 1, 1.5f, 1 + 4.0f / 3, 1, 4.0f / 3, 1, 4.0f / 3});
  }
  SECTION("max: G goes to the row that won each column") {
    backward_with_g(embedding_bag(w, ids5, ends, last_offset(BagMode::Max)));
    // bag 0: column 0 won by id 1 (4), column 1 by id 0 (6);
    // bag 1: column 0 won by id 3 (5), column 1 by id 1 (2). Row 2 never wins.
    require_values(w.grad(), Shape{4, 2}, {0, 2, 1, 4, 0, 0, 3, 0});
  }
  SECTION("per_sample_weights: the table's rows get psw[i] G, the weights G . row") {
    EmbeddingBagFuncOptions options = last_offset(BagMode::Sum);
    options.per_sample_weights = tensor({2, 0.5f, 1, -1, 3}).requires_grad_();
    backward_with_g(embedding_bag(w, ids5, ends, options));
    // row 0: 2 [1, 2]; row 1: 0.5 [1, 2] + [3, 4]; row 3: -[3, 4]; row 2: 3 [3, 4]
    require_values(w.grad(), Shape{4, 2}, {2, 4, 3.5f, 5, 9, 12, -3, -4});
    // [1, 2].[1, 6], [1, 2].[4, 2], [3, 4].[4, 2], [3, 4].[5, -1], [3, 4].[0, 0]
    require_values(options.per_sample_weights.grad(), Shape{5}, {13, 8, 20, 11, 0});
  }
  SECTION("padding: the padding row gets nothing, the mean divides by the kept count") {
    backward_with_g(embedding_bag(w, ids5, ends, last_offset(BagMode::Mean, 1)));
    // bag 0 keeps {0}: row 0 [1, 2]; bag 1 keeps {3, 2}: each [1.5, 2]
    require_values(w.grad(), Shape{4, 2}, {1, 2, 0, 0, 1.5f, 2, 1.5f, 2});
  }
  SECTION("finite differences agree in every mode") {
    const Tensor ids = tensor({0, 1, 4, 1, 3, 2, 2}, DType::Int64);
    const Tensor four_bags = tensor({0, 3, 3, 5, 7}, DType::Int64);  // one empty
    for (BagMode mode : {BagMode::Sum, BagMode::Mean, BagMode::Max}) {
      INFO("mode " << static_cast<int>(mode));
      require_gradcheck(
          [&](const Inputs& in) { return embedding_bag(in[0], ids, four_bags, last_offset(mode)); },
          {spaced_weight({5, 3}, 24)});
    }
  }
}

TEST_CASE("max_norm renormalises the looked-up rows in the op, once, before pooling",
          "[nn][embedding_bag][max_norm]") {
  // Rows: 0 = [3, 4] (L2 5, L1 7, Linf 4), 1 = [0, 0.5], 2 = [6, 8] (never looked up).
  const std::vector<float> rows = {3, 4, 0, 0.5f, 6, 8};
  const Tensor ids = tensor({{0, 1}}, DType::Int64);
  SECTION("the functional op: L2 5 > 1, so row 0 becomes [0.6, 0.8]; row 1 is short enough") {
    Tensor w = from_vector(rows, Shape{3, 2});
    const Tensor out = embedding_bag(w, ids, Tensor(), {.mode = BagMode::Sum, .max_norm = 1.0f});
    require_values(out, Shape{1, 2}, {0.6f, 1.3f});
    require_values(w, Shape{3, 2}, {0.6f, 0.8f, 0, 0.5f, 6, 8});  // in place, row 2 untouched
  }
  SECTION("norm_type 1 (L1 7) and infinity (the largest |x|, 4)") {
    Tensor w1 = from_vector(rows, Shape{3, 2});
    embedding_bag(w1, ids, Tensor(), {.max_norm = 1.0f, .norm_type = 1.0f});
    REQUIRE(w1.at(0, 0) == Approx(3.0f / 7).margin(1e-6));
    REQUIRE(w1.at(0, 1) == Approx(4.0f / 7).margin(1e-6));
    Tensor winf = from_vector(rows, Shape{3, 2});
    embedding_bag(winf, ids, Tensor(),
                  {.max_norm = 1.0f, .norm_type = std::numeric_limits<float>::infinity()});
    REQUIRE(winf.at(0, 0) == Approx(0.75f).margin(1e-6));
    REQUIRE(winf.at(0, 1) == Approx(1.0f).margin(1e-6));
  }
  SECTION("the module passes max_norm and norm_type to the op, like Embedding") {
    nn::EmbeddingBag bag(3, 2, {.mode = BagMode::Mean, .max_norm = 1.0f});
    nn::Embedding embed(3, 2, {.max_norm = 1.0f});
    {
      NoGradGuard no_grad;
      std::copy(rows.begin(), rows.end(), bag.weight.data().begin());
      std::copy(rows.begin(), rows.end(), embed.weight.data().begin());
    }
    require_values(bag(ids), Shape{1, 2}, {0.3f, 0.65f});  // ([0.6, 0.8] + [0, 0.5]) / 2
    embed(tensor({0, 1}, DType::Int64));
    require_values(bag.weight, Shape{3, 2},
                   std::vector<float>(embed.weight.data().begin(), embed.weight.data().end()));
    REQUIRE_THAT(bag.to_string(), Catch::Contains("max_norm=1"));
  }
  SECTION("a bad id or offset leaves the table as it was") {
    Tensor w = from_vector(rows, Shape{3, 2});
    REQUIRE_THROWS_AS(embedding_bag(w, tensor({0, 7}, DType::Int64), tensor({0}, DType::Int64),
                                    {.max_norm = 1.0f}),
                      IndexError);
    REQUIRE_THROWS_AS(embedding_bag(w, tensor({0, 1}, DType::Int64), tensor({0, 1}, DType::Int64),
                                    {.include_last_offset = true, .max_norm = 1.0f}),
                      ValueError);
    REQUIRE_THROWS_AS(embedding_bag(w, ids, Tensor(), {.max_norm = -1.0f}), ValueError);
    require_values(w, Shape{3, 2}, rows);
  }
  SECTION("gradients flow to the renormalised rows as usual") {
    Tensor w = from_vector(rows, Shape{3, 2}).requires_grad_();
    embedding_bag(w, ids, Tensor(), {.mode = BagMode::Sum, .max_norm = 1.0f}).sum().backward();
    require_values(w.grad(), Shape{3, 2}, {1, 1, 1, 1, 0, 0});
  }
}
