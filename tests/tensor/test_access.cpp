// Element access: item, at, id_at, data and ids, and the errors each misuse gets.
#include <catch2/catch.hpp>

#include "embedlab.h"

using namespace embedlab;

TEST_CASE("item() returns the one element of a one-element tensor", "[tensor][access]") {
  REQUIRE(tensor(2.5f).item() == 2.5f);
  REQUIRE(from_vector({4.0f}, Shape{1, 1}).item() == 4.0f);
  REQUIRE(tensor(2.5f).item<double>() == 2.5);
  REQUIRE(tensor({7}, DType::Int64).item<int64_t>() == 7);
}

TEST_CASE("item() on two elements names the shape and the count", "[tensor][access][errors]") {
  Tensor v = tensor({1.0f, 2.0f});
  REQUIRE_THROWS_AS(v.item(), ValueError);
  REQUIRE_THROWS_WITH(v.item(), Catch::Contains("shape (2)") && Catch::Contains("2 elements"));
}

TEST_CASE("at() reads vector and matrix elements", "[tensor][access]") {
  Tensor m = tensor({{1, 2, 3}, {4, 5, 6}});
  REQUIRE(m.at(0, 2) == 3.0f);
  REQUIRE(m.at(1, 1) == 5.0f);
  REQUIRE(m.at(4) == 5.0f);  // flat index 1 * 3 + 1
  REQUIRE(tensor({4, 5}, DType::Int64).at(1) == 5.0f);
  REQUIRE(tensor({4, 5}, DType::Int64).id_at(0) == 4);
}

TEST_CASE("at() out of range names the index and the range", "[tensor][access][errors]") {
  Tensor v = tensor({1.0f, 2.0f, 3.0f});
  REQUIRE_THROWS_AS(v.at(3), IndexError);
  REQUIRE_THROWS_WITH(v.at(3), Catch::Contains("index 3 out of range [0, 3)"));
  REQUIRE_THROWS_AS(v.at(-1), IndexError);
  Tensor m = zeros({2, 3});
  REQUIRE_THROWS_WITH(m.at(2, 0), Catch::Contains("(row)") && Catch::Contains("[0, 2)"));
  REQUIRE_THROWS_WITH(m.at(0, 3), Catch::Contains("(col)") && Catch::Contains("[0, 3)"));
  REQUIRE_THROWS_AS(v.at(0, 0), ShapeError);
  REQUIRE_THROWS_AS(tensor({1}, DType::Int64).id_at(1), IndexError);
}

TEST_CASE("data() on ids and ids() on floats are TypeErrors", "[tensor][access][errors]") {
  Tensor ids = tensor({1, 2}, DType::Int64);
  Tensor values = tensor({1.0f, 2.0f});
  REQUIRE_THROWS_AS(ids.data(), TypeError);
  REQUIRE_THROWS_WITH(ids.data(), Catch::Contains("int64") && Catch::Contains("ids()"));
  REQUIRE_THROWS_AS(values.ids(), TypeError);
  REQUIRE_THROWS_WITH(values.ids(), Catch::Contains("float32") && Catch::Contains("data()"));
  REQUIRE_THROWS_AS(values.id_at(0), TypeError);
  const Tensor& const_ids = ids;
  REQUIRE_THROWS_AS(const_ids.data(), TypeError);
}

TEST_CASE("copies of a Tensor share their elements", "[tensor][access]") {
  Tensor a = zeros({3});
  Tensor b = a;
  b.data()[1] = 5.0f;
  REQUIRE(a.at(1) == 5.0f);
}

TEST_CASE("an undefined tensor says so instead of crashing", "[tensor][access][errors]") {
  Tensor t;
  REQUIRE_FALSE(t.defined());
  REQUIRE_THROWS_AS(t.shape(), ValueError);
  REQUIRE_THROWS_WITH(t.numel(), Catch::Contains("undefined"));
  REQUIRE(t.to_string() == "tensor(undefined)");
}

TEST_CASE("only float tensors can require grad", "[tensor][access][errors]") {
  Tensor ids = tensor({1, 2}, DType::Int64);
  REQUIRE_THROWS_AS(ids.requires_grad_(), TypeError);
  REQUIRE_THROWS_WITH(ids.requires_grad_(), Catch::Contains("int64 of shape (2)"));
  Tensor w = zeros({2}).requires_grad_();
  REQUIRE(w.requires_grad());
  w.requires_grad_(false);
  REQUIRE_FALSE(w.requires_grad());
}
