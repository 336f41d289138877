// Exact ids and safe conversions at the tensor level: integers never pass through float (ids
// above 2^24 = 16,777,216 stay exact), and NaN, infinities and out-of-range values never
// convert silently to int64.
#include <cmath>
#include <limits>

#include <catch2/catch.hpp>

#include "embedlab.h"

using namespace embedlab;

namespace {
constexpr int64_t k2p24 = 16'777'216;  // float holds every integer up to here, not 2^24 + 1
}

TEST_CASE("int64 tensors built from integer literals keep ids above 2^24 exactly",
          "[tensor][creation][int64][reliability]") {
  REQUIRE(static_cast<int64_t>(static_cast<float>(k2p24 + 1)) == k2p24);  // why it matters
  SECTION("tensor({...}, Int64)") {
    const Tensor ids = tensor({16777217, 3}, DType::Int64);
    REQUIRE(ids.dtype() == DType::Int64);
    REQUIRE(ids.id_at(0) == 16'777'217);
    REQUIRE(ids.id_at(1) == 3);
    REQUIRE(tensor({3, 14, 15}, DType::Int64).id_at(2) == 15);  // the usual call sites
  }
  SECTION("int64_t values, a scalar, a matrix, and a list of int64_t") {
    const int64_t big = (int64_t{1} << 40) + 1;
    REQUIRE(tensor({big}, DType::Int64).id_at(0) == big);
    REQUIRE(tensor(big, DType::Int64).item<int64_t>() == big);
    REQUIRE(tensor({{1, 16777219}, {16777221, 2}}, DType::Int64).id_at(2) == 16'777'221);
    REQUIRE(from_vector(std::vector<int64_t>{16'777'217, big}, Shape{2}).id_at(1) == big);
  }
  SECTION("full and arange") {
    REQUIRE(full({2}, int64_t{16'777'217}, DType::Int64).id_at(1) == 16'777'217);
    const Tensor range = arange(16'777'215.0, 16'777'219.0, 1.0, DType::Int64);
    REQUIRE(range.numel() == 4);
    REQUIRE(range.id_at(2) == 16'777'217);
    REQUIRE(range.id_at(3) == 16'777'218);
  }
  SECTION("float literals still make float tensors, and mixed lists work") {
    REQUIRE(tensor({1.5f, 2.0f}).at(0) == 1.5f);
    REQUIRE(tensor({1, 2.5}).at(1) == 2.5f);
    const std::initializer_list<float> list = {4.0f, 5.0f};
    REQUIRE(tensor(list, DType::Int64).id_at(1) == 5);
  }
}

TEST_CASE("reading an id above 2^24 as float is refused, not rounded",
          "[tensor][access][int64][reliability]") {
  const Tensor ids = tensor({16777217, 7}, DType::Int64);
  REQUIRE(ids.at(1) == 7.0f);
  REQUIRE_THROWS_AS(ids.at(0), ValueError);
  REQUIRE_THROWS_WITH(ids.at(0), Catch::Contains("16777217") && Catch::Contains("id_at"));
  REQUIRE(ids.id_at(0) == 16'777'217);
}

TEST_CASE("NaN, infinities and out-of-range values never become int64 silently",
          "[tensor][creation][int64][reliability]") {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  SECTION("full") {
    REQUIRE_THROWS_AS(full({2}, nan, DType::Int64), ValueError);
    REQUIRE_THROWS_WITH(full({2}, nan, DType::Int64),
                        Catch::Contains("full(..., int64)") && Catch::Contains("nan"));
    REQUIRE_THROWS_WITH(full({2}, -inf, DType::Int64), Catch::Contains("-inf"));
  }
  SECTION("tensor") {
    REQUIRE_THROWS_AS(tensor({1e30}, DType::Int64), ValueError);
    REQUIRE_THROWS_WITH(tensor({1e30}, DType::Int64), Catch::Contains("1e+30") &&
                                                          Catch::Contains("int64") &&
                                                          Catch::Contains("position 0"));
    REQUIRE_THROWS_WITH(tensor({1.0, 2.5}, DType::Int64),
                        Catch::Contains("2.5") && Catch::Contains("position 1"));
    REQUIRE_THROWS_WITH(tensor(nan, DType::Int64), Catch::Contains("nan"));
    // 2^63 is just out of range; -2^63 is the smallest int64.
    REQUIRE_THROWS_AS(tensor(9223372036854775808.0, DType::Int64), ValueError);
    REQUIRE(tensor(-9223372036854775808.0, DType::Int64).item<int64_t>() ==
            std::numeric_limits<int64_t>::min());
    REQUIRE_THROWS_AS(tensor(std::numeric_limits<uint64_t>::max(), DType::Int64), ValueError);
  }
  SECTION("arange") {
    REQUIRE_THROWS_AS(arange(0.0, 1.0, 0.5, DType::Int64), TypeError);  // 0.5 is no id
  }
  SECTION("item<int64_t>() of a float tensor") {
    REQUIRE(tensor(2.75f).item<int64_t>() == 2);  // truncates, as PyTorch does
    REQUIRE_THROWS_AS(tensor(nan).item<int64_t>(), ValueError);
    REQUIRE_THROWS_WITH(tensor(inf).item<int64_t>(), Catch::Contains("inf"));
    REQUIRE_THROWS_WITH(tensor(1e30f).item<int>(), Catch::Contains("1e+30"));
  }
}
