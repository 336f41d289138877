// Shape: the rank 0-2 rule, negative sizes, element counts, dims and printing.
#include <catch2/catch.hpp>

#include <vector>

#include "embedlab.h"

using namespace embedlab;

TEST_CASE("a shape of rank 3 is refused with the rank in the message", "[tensor][shape][errors]") {
  REQUIRE_THROWS_AS(Shape({2, 3, 4}), ShapeError);
  REQUIRE_THROWS_WITH(Shape({2, 3, 4}),
                      Catch::Contains("rank 3 > 2") && Catch::Contains("(2, 3, 4)"));
  const std::vector<int64_t> sizes{1, 1, 1, 1};
  REQUIRE_THROWS_WITH(Shape::from(sizes), Catch::Contains("rank 4 > 2"));
}

TEST_CASE("a negative size is refused with the dim in the message", "[tensor][shape][errors]") {
  REQUIRE_THROWS_AS(Shape({2, -1}), ShapeError);
  REQUIRE_THROWS_WITH(Shape({2, -1}), Catch::Contains("size -1 of dim 1 is negative") &&
                                          Catch::Contains("(2, -1)"));
}

TEST_CASE("shapes of rank 0, 1 and 2 report rank, sizes and element count", "[tensor][shape]") {
  SECTION("a scalar has rank 0 and one element") {
    Shape s;
    REQUIRE(s.rank() == 0);
    REQUIRE(s.numel() == 1);
    REQUIRE(s.rows() == 1);
    REQUIRE(s.cols() == 1);
    REQUIRE(s.to_string() == "()");
  }
  SECTION("a vector (5) has 5 elements in one row") {
    Shape s{5};
    REQUIRE(s.rank() == 1);
    REQUIRE(s.numel() == 5);
    REQUIRE(s.rows() == 1);
    REQUIRE(s.cols() == 5);
    REQUIRE(s.to_string() == "(5)");
  }
  SECTION("a matrix (10000, 128) has exactly 1,280,000 elements") {
    Shape s{10000, 128};
    REQUIRE(s.rank() == 2);
    REQUIRE(s.numel() == 1280000);
    REQUIRE(s.rows() == 10000);
    REQUIRE(s.cols() == 128);
    REQUIRE(s[0] == 10000);
    REQUIRE(s[-1] == 128);
    REQUIRE(s.to_string() == "(10000, 128)");
  }
  SECTION("a zero size makes an empty shape") {
    REQUIRE(Shape({0, 3}).numel() == 0);
  }
}

TEST_CASE("shapes are equal when rank and sizes are equal", "[tensor][shape]") {
  REQUIRE(Shape{2, 3} == Shape{2, 3});
  REQUIRE_FALSE(Shape{2, 3} == Shape{3, 2});
  REQUIRE_FALSE(Shape{3} == Shape{1, 3});
  REQUIRE(Shape{} == Shape());
}

TEST_CASE("normalize_dim turns negative dims into 0 or 1", "[tensor][shape]") {
  const Shape matrix{2, 3};
  REQUIRE(matrix.normalize_dim(0, "test") == 0);
  REQUIRE(matrix.normalize_dim(1, "test") == 1);
  REQUIRE(matrix.normalize_dim(-1, "test") == 1);
  REQUIRE(matrix.normalize_dim(-2, "test") == 0);
  REQUIRE(Shape{4}.normalize_dim(-1, "test") == 0);
}

TEST_CASE("normalize_dim names the op, the dim, the rank and the shape when out of range",
          "[tensor][shape][errors]") {
  const Shape matrix{2, 3};
  REQUIRE_THROWS_AS(matrix.normalize_dim(2, "sum"), IndexError);
  REQUIRE_THROWS_WITH(matrix.normalize_dim(2, "sum"),
                      Catch::Equals("sum: dim 2 is out of range for a rank-2 tensor of shape (2, "
                                    "3) (valid dims: -2 to 1)"));
  REQUIRE_THROWS_WITH(matrix.normalize_dim(-3, "sum"), Catch::Contains("dim -3"));
  REQUIRE_THROWS_AS(Shape{}.normalize_dim(0, "sum"), IndexError);
  REQUIRE_THROWS_WITH(Shape{}.normalize_dim(0, "sum"),
                      Catch::Equals("sum: dim 0 is out of range for a rank-0 tensor of shape () "
                                    "(a scalar has no dims)"));
  REQUIRE_THROWS_AS(Shape{4}[1], IndexError);
}
