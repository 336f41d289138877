// add, sub, mul, div and their operators: hand-computed values, broadcasting in every pattern
// rank 0-2 allows, and gradcheck of each op through each broadcasting pattern.
#include <catch2/catch.hpp>

#include <vector>

#include "autograd_test_utils.h"

using namespace embedlab;
using embedlab::test::Inputs;
using embedlab::test::require_values;

namespace {
// a = [[1, 2], [3, 4]] and b = [[5, 6], [7, 8]], used by the hand-computed tests.
Tensor matrix_a() {
  return tensor({{1, 2}, {3, 4}});
}
Tensor matrix_b() {
  return tensor({{5, 6}, {7, 8}});
}

// One binary op under test, by name.
struct BinaryOp {
  const char* name;
  Tensor (*fn)(const Tensor&, const Tensor&);
};

const std::vector<BinaryOp>& binary_ops() {
  static const std::vector<BinaryOp> ops{{"add", add}, {"sub", sub}, {"mul", mul}, {"div", div}};
  return ops;
}
}  // namespace

TEST_CASE("add, sub, mul and div work element by element", "[autograd][binary]") {
  // [[1+5, 2+6], [3+7, 4+8]]
  require_values(add(matrix_a(), matrix_b()), {2, 2}, {6, 8, 10, 12});
  // [[1-5, 2-6], [3-7, 4-8]]
  require_values(sub(matrix_a(), matrix_b()), {2, 2}, {-4, -4, -4, -4});
  // [[1*5, 2*6], [3*7, 4*8]]
  require_values(mul(matrix_a(), matrix_b()), {2, 2}, {5, 12, 21, 32});
  // [[1/5, 2/6], [3/7, 4/8]]
  require_values(div(matrix_a(), matrix_b()), {2, 2}, {0.2f, 0.333333f, 0.428571f, 0.5f});
}

TEST_CASE("the operators +, -, * and / call the ops, also with a float", "[autograd][binary]") {
  const Tensor a = matrix_a(), b = matrix_b();
  require_values(a + b, {2, 2}, {6, 8, 10, 12});
  require_values(a - b, {2, 2}, {-4, -4, -4, -4});
  require_values(a * b, {2, 2}, {5, 12, 21, 32});
  require_values(b / a, {2, 2}, {5, 3, 7.0f / 3.0f, 2});
  require_values(a + 1.0f, {2, 2}, {2, 3, 4, 5});
  require_values(1.0f + a, {2, 2}, {2, 3, 4, 5});
  require_values(a - 1.0f, {2, 2}, {0, 1, 2, 3});
  require_values(10.0f - a, {2, 2}, {9, 8, 7, 6});
  require_values(a * 2.0f, {2, 2}, {2, 4, 6, 8});
  require_values(2.0f * a, {2, 2}, {2, 4, 6, 8});
  require_values(a / 2.0f, {2, 2}, {0.5f, 1, 1.5f, 2});
  require_values(12.0f / a, {2, 2}, {12, 6, 4, 3});
}

TEST_CASE("binary ops broadcast as PyTorch does within rank 2", "[autograd][binary][broadcast]") {
  const Tensor a = matrix_a();
  SECTION("a scalar works with every element of a matrix") {
    // 10 + [[1, 2], [3, 4]]
    require_values(add(tensor(10.0f), a), {2, 2}, {11, 12, 13, 14});
    require_values(sub(a, tensor(1.0f)), {2, 2}, {0, 1, 2, 3});
  }
  SECTION("a (C) row vector works with every row of an (R, C) matrix") {
    // [[1+10, 2+20], [3+10, 4+20]]
    require_values(add(a, tensor({10, 20})), {2, 2}, {11, 22, 13, 24});
    require_values(add(tensor({10, 20}), a), {2, 2}, {11, 22, 13, 24});
  }
  SECTION("an (R, 1) column works with every column") {
    // [[1+10, 2+10], [3+20, 4+20]]
    require_values(add(a, from_vector({10, 20}, Shape{2, 1})), {2, 2}, {11, 12, 23, 24});
  }
  SECTION("a (1, C) row works with every row") {
    // [[1*10, 2*20], [3*10, 4*20]]
    require_values(mul(tensor({{10, 20}}), a), {2, 2}, {10, 40, 30, 80});
  }
  SECTION("an (R, 1) column and a (1, C) row make an (R, C) table") {
    // [[1*10, 1*20, 1*30], [2*10, 2*20, 2*30]]  (a column literal {{1}, {2}} is ambiguous in C++)
    require_values(mul(from_vector({1, 2}, Shape{2, 1}), tensor({{10, 20, 30}})), {2, 3},
                   {10, 20, 30, 20, 40, 60});
  }
  SECTION("a (C) vector and a (1, C) row give a (1, C) row") {
    require_values(add(tensor({1, 2}), tensor({{10, 20}})), {1, 2}, {11, 22});
  }
}

TEST_CASE("a broadcast operand's gradient is summed over the dim it stretched along",
          "[autograd][binary][broadcast]") {
  Tensor a = matrix_a().requires_grad_();
  Tensor row = tensor({10, 20}).requires_grad_();
  Tensor column = from_vector({1, 2}, Shape{2, 1}).requires_grad_();
  (a * row + column).sum().backward();
  // d/d row[c] = sum over r of a[r, c] = [1 + 3, 2 + 4]
  require_values(row.grad(), {2}, {4, 6});
  // d/d a[r, c] = row[c]
  require_values(a.grad(), {2, 2}, {10, 20, 10, 20});
  // d/d column[r] = number of columns = 2
  require_values(column.grad(), {2, 1}, {2, 2});
}

TEST_CASE("the division gradient is 1/b for a and -a/b^2 for b", "[autograd][binary]") {
  Tensor a = tensor({3.0f}).requires_grad_();
  Tensor b = tensor({2.0f}).requires_grad_();
  div(a, b).sum().backward();
  REQUIRE(a.grad().at(0) == Approx(0.5f).margin(1e-6));    // 1 / 2
  REQUIRE(b.grad().at(0) == Approx(-0.75f).margin(1e-6));  // -3 / 2^2
}

TEST_CASE("shapes that cannot broadcast name both shapes", "[autograd][binary][errors]") {
  REQUIRE_THROWS_AS(add(zeros({2, 3}), zeros({3, 2})), ShapeError);
  REQUIRE_THROWS_WITH(add(zeros({2, 3}), zeros({3, 2})),
                      Catch::Contains("add: shapes (2, 3) and (3, 2) cannot broadcast"));
  REQUIRE_THROWS_WITH(sub(zeros({3}), zeros({2})), Catch::Contains("sub: shapes (3) and (2)"));
  REQUIRE_THROWS_WITH(mul(zeros({2, 3}), zeros({2})),
                      Catch::Contains("mul: shapes (2, 3) and (2)"));
  REQUIRE_THROWS_WITH(div(zeros({3, 1}), zeros({2, 1})), Catch::Contains("div: shapes (3, 1)"));
}

TEST_CASE("binary ops refuse int64 ids", "[autograd][binary][errors]") {
  Tensor ids = tensor({1, 2}, DType::Int64);
  REQUIRE_THROWS_AS(add(ids, zeros({2})), TypeError);
  REQUIRE_THROWS_WITH(mul(zeros({2}), ids), Catch::Contains("mul: b must be float32"));
}

TEST_CASE("every binary op passes gradcheck with equal shapes", "[autograd][binary][gradcheck]") {
  for (const BinaryOp& op : binary_ops()) {
    INFO("op " << op.name);
    auto f = [&op](const Inputs& in) { return op.fn(in[0], in[1]); };
    test::require_gradcheck(f, {test::random_input({3, 4}, 1), test::away_from_zero({3, 4}, 2)});
  }
}

TEST_CASE("every binary op passes gradcheck in every broadcasting pattern",
          "[autograd][binary][broadcast][gradcheck]") {
  // (shape of a, shape of b): scalar, row (C), column (R, 1), row (1, C), and the outer table.
  const std::vector<std::pair<Shape, Shape>> patterns{
      {Shape{}, Shape{3, 4}},     {Shape{3, 4}, Shape{}},     {Shape{4}, Shape{3, 4}},
      {Shape{3, 4}, Shape{4}},    {Shape{3, 1}, Shape{3, 4}}, {Shape{3, 4}, Shape{1, 4}},
      {Shape{3, 1}, Shape{1, 4}}, {Shape{}, Shape{4}},        {Shape{4}, Shape{1, 4}}};
  uint64_t seed = 10;
  for (const BinaryOp& op : binary_ops()) {
    for (const auto& [shape_a, shape_b] : patterns) {
      INFO("op " << op.name << ", a " << shape_a.to_string() << ", b " << shape_b.to_string());
      auto f = [&op](const Inputs& in) { return op.fn(in[0], in[1]); };
      // b stays away from 0 so that div's finite differences never straddle its pole.
      test::require_gradcheck(
          f, {test::random_input(shape_a, seed), test::away_from_zero(shape_b, seed + 1)});
      seed += 2;
    }
  }
}

TEST_CASE("the scalar operators pass gradcheck", "[autograd][binary][gradcheck]") {
  auto f = [](const Inputs& in) {
    return (2.0f * in[0] + 1.0f) - (3.0f - in[0]) / 4.0f + 1.0f / in[1] - in[1] * 0.5f;
  };
  test::require_gradcheck(f, {test::random_input({2, 3}, 3), test::away_from_zero({2, 3}, 4)});
}
