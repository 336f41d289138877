// Random tensors: reproducible for a seed, in range, with the right mean and spread.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "embedlab.h"

using namespace embedlab;

namespace {
std::vector<float> values_of(const Tensor& t) {
  return {t.data().begin(), t.data().end()};
}
}  // namespace

TEST_CASE("rand, randn and randint repeat exactly for the same seed", "[tensor][random]") {
  Generator g1(42), g2(42), g3(43);
  REQUIRE(values_of(rand({3, 4}, g1)) == values_of(rand({3, 4}, g2)));
  REQUIRE(values_of(randn({5}, g1)) == values_of(randn({5}, g2)));
  Tensor a = randint(0, 100, {6}, g1), b = randint(0, 100, {6}, g2);
  REQUIRE(std::vector<int64_t>(a.ids().begin(), a.ids().end()) ==
          std::vector<int64_t>(b.ids().begin(), b.ids().end()));
  SECTION("another seed gives other numbers") {
    Generator g4(42);
    REQUIRE(values_of(rand({8}, g3)) != values_of(rand({8}, g4)));
  }
}

TEST_CASE("manual_seed restarts the default generator", "[tensor][random]") {
  manual_seed(7);
  const std::vector<float> first = values_of(randn({10}));
  manual_seed(7);
  REQUIRE(values_of(randn({10})) == first);
  SECTION("Generator::manual_seed restarts a generator") {
    Generator g(1);
    const float x = g.uniform();
    g.manual_seed(1);
    REQUIRE(g.uniform() == x);
  }
}

TEST_CASE("rand draws floats from 0 up to but not including 1", "[tensor][random]") {
  Generator g(3);
  Tensor x = rand({10000}, g);
  float low = 1.0f, high = 0.0f;
  double total = 0.0;
  for (float v : x.data()) {
    REQUIRE(v >= 0.0f);
    REQUIRE(v < 1.0f);
    low = std::min(low, v);
    high = std::max(high, v);
    total += v;
  }
  REQUIRE(total / 10000.0 == Approx(0.5).margin(0.02));
  REQUIRE(low < 0.01f);
  REQUIRE(high > 0.99f);
}

TEST_CASE("randn has mean about 0 and standard deviation about 1 over 10k draws",
          "[tensor][random]") {
  Generator g(11);
  Tensor x = randn({100, 100}, g);
  double total = 0.0, squares = 0.0;
  for (float v : x.data()) {
    REQUIRE(std::isfinite(v));
    total += v;
    squares += double(v) * v;
  }
  const double mean = total / 10000.0;
  const double std = std::sqrt(squares / 10000.0 - mean * mean);
  // The standard error of the mean of 10k draws is 0.01; 0.05 is five of them.
  REQUIRE(mean == Approx(0.0).margin(0.05));
  REQUIRE(std == Approx(1.0).margin(0.05));
}

TEST_CASE("randint draws every id from low up to but not including high", "[tensor][random]") {
  Generator g(5);
  Tensor ids = randint(-3, 4, {2000}, g);
  REQUIRE(ids.dtype() == DType::Int64);
  std::vector<int> counts(7, 0);
  for (int64_t id : ids.ids()) {
    REQUIRE(id >= -3);
    REQUIRE(id < 4);
    ++counts[id + 3];
  }
  for (int count : counts)
    REQUIRE(count > 200);  // about 2000 / 7 = 286 each
}

TEST_CASE("randint with an empty range is a ValueError", "[tensor][random][errors]") {
  REQUIRE_THROWS_AS(randint(5, 5, {3}), ValueError);
  REQUIRE_THROWS_WITH(randint(5, 2, {3}), Catch::Contains("empty range [5, 2)"));
}
