// Tensor factories: literals, from_vector, filled tensors, arange and eye.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "embedlab.h"

using namespace embedlab;

TEST_CASE("tensor literals make a scalar, a vector and a matrix", "[tensor][creation]") {
  SECTION("a scalar has rank 0") {
    Tensor s = tensor(3.5f);
    REQUIRE(s.rank() == 0);
    REQUIRE(s.item() == 3.5f);
  }
  SECTION("a vector keeps the order of its values") {
    Tensor v = tensor({1.0f, 2.0f, 3.0f});
    REQUIRE(v.shape() == Shape{3});
    REQUIRE(v.at(2) == 3.0f);
  }
  SECTION("a matrix is stored row by row: (r, c) sits at r * C + c") {
    Tensor m = tensor({{1, 2, 3}, {4, 5, 6}});
    REQUIRE(m.shape() == Shape{2, 3});
    REQUIRE(m.at(1, 0) == 4.0f);
    REQUIRE(m.data()[1 * 3 + 2] == 6.0f);
  }
  SECTION("DType::Int64 makes ids") {
    Tensor ids = tensor({3, 1, 4}, DType::Int64);
    REQUIRE(ids.dtype() == DType::Int64);
    REQUIRE_FALSE(ids.is_floating_point());
    REQUIRE(ids.ids()[2] == 4);
  }
  SECTION("new tensors are leaves that do not require grad") {
    Tensor v = tensor({1.0f});
    REQUIRE(v.is_leaf());
    REQUIRE_FALSE(v.requires_grad());
    REQUIRE(v.grad_fn_name().empty());
  }
}

TEST_CASE("a matrix literal with ragged rows names the row and the lengths",
          "[tensor][creation][errors]") {
  REQUIRE_THROWS_AS(tensor({{1, 2}, {3, 4, 5}}), ShapeError);
  REQUIRE_THROWS_WITH(tensor({{1, 2}, {3, 4, 5}}),
                      Catch::Contains("row 1 has 3 values but row 0 has 2"));
}

TEST_CASE("an id literal that is not a whole number is a TypeError", "[tensor][creation][errors]") {
  REQUIRE_THROWS_AS(tensor({1.0f, 2.5f}, DType::Int64), TypeError);
  REQUIRE_THROWS_WITH(tensor({1.0f, 2.5f}, DType::Int64),
                      Catch::Contains("value 2.5 at position 1 is not a whole number"));
}

TEST_CASE("from_vector and from_ids fill a shape and check the count", "[tensor][creation]") {
  Tensor m = from_vector({1, 2, 3, 4, 5, 6}, Shape{2, 3});
  REQUIRE(m.at(1, 2) == 6.0f);
  Tensor ids = from_ids({7, 8}, Shape{2});
  REQUIRE(ids.ids()[1] == 8);
  SECTION("too few values name both counts and the shape") {
    REQUIRE_THROWS_AS(from_vector({1, 2, 3, 4, 5}, Shape{2, 3}), ShapeError);
    REQUIRE_THROWS_WITH(from_vector({1, 2, 3, 4, 5}, Shape{2, 3}),
                        Catch::Contains("5 values cannot fill shape (2, 3) (6 elements)"));
    REQUIRE_THROWS_WITH(from_ids({1, 2, 3}, Shape{2}),
                        Catch::Contains("3 ids cannot fill shape (2) (2 elements)"));
  }
}

TEST_CASE("zeros, ones and full fill every element", "[tensor][creation]") {
  Tensor z = zeros({2, 3});
  Tensor o = ones({4});
  Tensor f = full({2, 2}, 7.5f);
  REQUIRE(z.shape() == Shape{2, 3});
  for (float v : z.data())
    REQUIRE(v == 0.0f);
  for (float v : o.data())
    REQUIRE(v == 1.0f);
  for (float v : f.data())
    REQUIRE(v == 7.5f);
  SECTION("int64 versions hold ids") {
    Tensor ids = full({3}, 9.0f, DType::Int64);
    REQUIRE(ids.ids()[0] == 9);
    REQUIRE(ones({2}, DType::Int64).ids()[1] == 1);
  }
  SECTION("the _like versions copy shape and dtype") {
    Tensor ids = tensor({1, 2}, DType::Int64);
    REQUIRE(zeros_like(f).shape() == Shape{2, 2});
    REQUIRE(ones_like(ids).dtype() == DType::Int64);
    REQUIRE(ones_like(ids).ids()[0] == 1);
  }
  SECTION("a negative size is a ShapeError") {
    REQUIRE_THROWS_AS(zeros({-2}), ShapeError);
  }
}

TEST_CASE("arange(end) counts ids from 0", "[tensor][creation]") {
  Tensor ids = arange(5);
  REQUIRE(ids.dtype() == DType::Int64);
  REQUIRE(ids.shape() == Shape{5});
  for (int64_t i = 0; i < 5; ++i)
    REQUIRE(ids.ids()[i] == i);
  REQUIRE(arange(0).numel() == 0);
  REQUIRE_THROWS_AS(arange(-1), ValueError);
  REQUIRE_THROWS_WITH(arange(-1), Catch::Contains("end -1 is negative"));
}

TEST_CASE("arange(start, end, step) stops before end, like PyTorch", "[tensor][creation]") {
  SECTION("0 to 1 by 0.25 gives four values") {
    Tensor x = arange(0.0, 1.0, 0.25);
    REQUIRE(x.dtype() == DType::Float32);
    REQUIRE(x.shape() == Shape{4});
    REQUIRE(x.at(3) == Approx(0.75f).margin(1e-6));
  }
  SECTION("a negative step counts down: 5, 3, 1") {
    Tensor x = arange(5.0, 0.0, -2.0);
    REQUIRE(x.shape() == Shape{3});
    REQUIRE(x.at(0) == 5.0f);
    REQUIRE(x.at(2) == 1.0f);
  }
  SECTION("an empty range gives an empty vector") {
    REQUIRE(arange(3.0, 1.0).numel() == 0);
  }
  SECTION("DType::Int64 gives ids") {
    Tensor ids = arange(2.0, 5.0, 1.0, DType::Int64);
    REQUIRE(ids.dtype() == DType::Int64);
    REQUIRE(ids.ids()[2] == 4);
  }
  SECTION("a zero or non-finite step is a ValueError") {
    REQUIRE_THROWS_AS(arange(0.0, 1.0, 0.0), ValueError);
    REQUIRE_THROWS_WITH(arange(0.0, 1.0, 0.0), Catch::Contains("step 0"));
    REQUIRE_THROWS_AS(arange(0.0, 1.0, std::nan("")), ValueError);
  }
}

TEST_CASE("eye(n) is the n x n identity matrix", "[tensor][creation][task1.1]") {
  Tensor i3 = eye(3);
  REQUIRE(i3.shape() == Shape{3, 3});
  for (int64_t r = 0; r < 3; ++r) {
    for (int64_t c = 0; c < 3; ++c)
      REQUIRE(i3.at(r, c) == (r == c ? 1.0f : 0.0f));
  }
}
