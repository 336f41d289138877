// reshape (a view), transpose, select, slice, cat, stack, clone and detach: values, storage
// sharing, errors and gradcheck.
#include <catch2/catch.hpp>

#include "autograd_test_utils.h"

using namespace embedlab;
using embedlab::test::Inputs;
using embedlab::test::require_values;

TEST_CASE("reshape keeps the elements and shares their storage", "[autograd][shape]") {
  Tensor x = arange(0.0, 6.0);
  Tensor m = x.reshape({2, -1});  // -1 becomes 6 / 2 = 3
  require_values(m, {2, 3}, {0, 1, 2, 3, 4, 5});
  REQUIRE(m.data().data() == x.data().data());
  m.data()[4] = 40.0f;
  REQUIRE(x.at(4) == 40.0f);
  require_values(x.view({-1, 1}), {6, 1}, {0, 1, 2, 3, 40, 5});
  require_values(reshape(tensor({7.0f}), Shape{}), {}, {7});
}

TEST_CASE("reshape to another element count names both shapes", "[autograd][shape][errors]") {
  const Tensor x = arange(0.0, 6.0);
  REQUIRE_THROWS_AS(x.reshape({4, 2}), ShapeError);
  REQUIRE_THROWS_WITH(x.reshape({4, 2}),
                      Catch::Contains("cannot view shape (6) (6 elements) as (4, 2) (8 elements)"));
  REQUIRE_THROWS_AS(x.reshape({4, -1}), ShapeError);
  REQUIRE_THROWS_WITH(x.reshape({4, -1}), Catch::Contains("as (4, -1): 6 is not a multiple of 4"));
}

TEST_CASE("reshape to rank 3 is a ShapeError", "[autograd][shape][errors]") {
  REQUIRE_THROWS_AS(arange(0.0, 6.0).reshape({1, 2, 3}), ShapeError);
  REQUIRE_THROWS_WITH(arange(0.0, 6.0).reshape({1, 2, 3}), Catch::Contains("rank 3 > 2"));
}

TEST_CASE("reshape passes gradcheck", "[autograd][shape][gradcheck]") {
  test::require_gradcheck(
      [](const Inputs& in) {
        return in[0].reshape({3, -1}) * in[0].view({3, 2});
      },
      {test::random_input({6}, 1)});
}

TEST_CASE("transpose swaps rows and columns and leaves vectors alone", "[autograd][shape]") {
  // [[1, 2, 3], [4, 5, 6]] -> [[1, 4], [2, 5], [3, 6]]
  require_values(transpose(tensor({{1, 2, 3}, {4, 5, 6}})), {3, 2}, {1, 4, 2, 5, 3, 6});
  require_values(tensor({1, 2}).t(), {2}, {1, 2});
  Tensor ids = transpose(from_ids({1, 2, 3, 4}, Shape{2, 2}));
  REQUIRE(ids.ids()[1] == 3);
  test::require_gradcheck([](const Inputs& in) { return transpose(in[0]); },
                          {test::random_input({2, 3}, 2)});
}

TEST_CASE("select returns a row or an element, negative indices from the end",
          "[autograd][shape]") {
  const Tensor x = tensor({{1, 2, 3}, {4, 5, 6}});
  require_values(select(x, 1), {3}, {4, 5, 6});
  require_values(x[-1], {3}, {4, 5, 6});
  require_values(x[0], {3}, {1, 2, 3});
  require_values(select(tensor({7, 8, 9}), -3), {}, {7});
  Tensor row = select(from_ids({1, 2, 3, 4}, Shape{2, 2}), 1);
  REQUIRE(row.ids()[0] == 3);
  test::require_gradcheck([](const Inputs& in) { return select(in[0], -2); },
                          {test::random_input({3, 4}, 3)});
  test::require_gradcheck([](const Inputs& in) { return in[0][1]; }, {test::random_input({4}, 4)});
}

TEST_CASE("select out of range names the index and the shape", "[autograd][shape][errors]") {
  REQUIRE_THROWS_AS(select(zeros({2, 3}), 2), IndexError);
  REQUIRE_THROWS_WITH(select(zeros({2, 3}), -3),
                      Catch::Contains("index -3 out of range") && Catch::Contains("(2, 3)"));
  REQUIRE_THROWS_AS(select(tensor(1.0f), 0), ShapeError);
}

TEST_CASE("slice takes rows, columns or elements from start up to end", "[autograd][shape]") {
  const Tensor x = tensor({{1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {10, 11, 12}});
  require_values(slice(x, 0, 1, 3), {2, 3}, {4, 5, 6, 7, 8, 9});
  require_values(slice(x, 1, 0, 2), {4, 2}, {1, 2, 4, 5, 7, 8, 10, 11});
  require_values(slice(x, -1, 2, 3), {4, 1}, {3, 6, 9, 12});
  require_values(slice(tensor({1, 2, 3, 4}), 0, 1, 3), {2}, {2, 3});
  REQUIRE(slice(x, 0, 2, 2).shape() == Shape{0, 3});
  for (int dim : {0, 1}) {
    INFO("dim " << dim);
    test::require_gradcheck([dim](const Inputs& in) { return slice(in[0], dim, 1, 3); },
                            {test::random_input({4, 4}, 5)});
  }
}

TEST_CASE("slice with a range that does not fit names it", "[autograd][shape][errors]") {
  REQUIRE_THROWS_AS(slice(zeros({2, 3}), 1, 1, 4), IndexError);
  REQUIRE_THROWS_WITH(slice(zeros({2, 3}), 1, 1, 4),
                      Catch::Contains("range [1, 4) does not fit dim 1 of size 3"));
  REQUIRE_THROWS_AS(slice(zeros({2, 3}), 0, 2, 1), IndexError);
  REQUIRE_THROWS_AS(slice(zeros({2, 3}), 0, -1, 1), IndexError);
}

TEST_CASE("cat joins vectors end to end and matrices along either dim", "[autograd][shape]") {
  require_values(cat({tensor({1, 2}), tensor({3})}), {3}, {1, 2, 3});
  const Tensor a = tensor({{1, 2}, {3, 4}}), b = tensor({{5, 6}});
  require_values(cat({a, b}, 0), {3, 2}, {1, 2, 3, 4, 5, 6});
  const Tensor c = from_vector({7, 8}, Shape{2, 1});
  require_values(cat({a, c}, 1), {2, 3}, {1, 2, 7, 3, 4, 8});
  require_values(cat({a, c}, -1), {2, 3}, {1, 2, 7, 3, 4, 8});
}

TEST_CASE("cat checks that the other sizes agree", "[autograd][shape][errors]") {
  REQUIRE_THROWS_AS(cat({zeros({2, 2}), zeros({2, 3})}, 0), ShapeError);
  REQUIRE_THROWS_WITH(
      cat({zeros({2, 2}), zeros({2, 3})}, 0),
      Catch::Contains("tensor 1 has shape (2, 3)") && Catch::Contains("does not fit shape (2, 2)"));
  REQUIRE_THROWS_AS(cat({zeros({2}), zeros({1, 2})}), ShapeError);
  REQUIRE_THROWS_AS(cat({}), ValueError);
  REQUIRE_THROWS_AS(cat({zeros({2})}, 1), IndexError);
}

TEST_CASE("cat passes gradcheck along both dims", "[autograd][shape][gradcheck]") {
  for (int dim : {0, 1}) {
    INFO("dim " << dim);
    test::require_gradcheck(
        [dim](const Inputs& in) {
          return cat({in[0], in[1], in[0]}, dim);
        },
        {test::random_input({2, 2}, 6), test::random_input({2, 2}, 7)});
  }
  test::require_gradcheck(
      [](const Inputs& in) {
        return cat({in[0], in[1]});
      },
      {test::random_input({2}, 8), test::random_input({3}, 9)});
}

TEST_CASE("stack makes vectors the rows of a matrix and scalars a vector", "[autograd][shape]") {
  require_values(stack({tensor({1, 2}), tensor({3, 4}), tensor({5, 6})}), {3, 2},
                 {1, 2, 3, 4, 5, 6});
  require_values(stack({tensor(1.0f), tensor(2.0f)}), {2}, {1, 2});
  test::require_gradcheck(
      [](const Inputs& in) {
        return stack({in[0], in[1]});
      },
      {test::random_input({3}, 10), test::random_input({3}, 11)});
  test::require_gradcheck(
      [](const Inputs& in) {
        return stack({in[0], in[0]});
      },
      {test::random_input({}, 12)});
}

TEST_CASE("stack refuses matrices and different shapes", "[autograd][shape][errors]") {
  REQUIRE_THROWS_AS(stack({zeros({2, 2}), zeros({2, 2})}), ShapeError);
  REQUIRE_THROWS_WITH(stack({zeros({2, 2}), zeros({2, 2})}),
                      Catch::Contains("would need rank 3") && Catch::Contains("use cat"));
  REQUIRE_THROWS_WITH(stack({zeros({2}), zeros({3})}),
                      Catch::Contains("tensor 1 has shape (3) but tensor 0 has shape (2)"));
  REQUIRE_THROWS_AS(stack({}), ValueError);
}

TEST_CASE("clone copies the elements and passes gradients back", "[autograd][shape]") {
  Tensor x = tensor({1, 2}).requires_grad_();
  Tensor y = x.clone();
  REQUIRE(y.data().data() != x.data().data());
  REQUIRE(y.grad_fn_name() == "clone");
  (y * 3.0f).sum().backward();
  require_values(x.grad(), {2}, {3, 3});
  test::require_gradcheck([](const Inputs& in) { return in[0].clone(); },
                          {test::random_input({2, 2}, 13)});
}

TEST_CASE("detach shares the elements but stops gradients", "[autograd][shape]") {
  Tensor x = tensor({1, 2}).requires_grad_();
  Tensor d = x.detach();
  REQUIRE(d.is_leaf());
  REQUIRE_FALSE(d.requires_grad());
  REQUIRE(d.data().data() == x.data().data());
  // y = x * detach(x): only the first factor carries a gradient, d/dx = detach(x) = [1, 2]
  (x * d).sum().backward();
  require_values(x.grad(), {2}, {1, 2});
}

TEST_CASE("reshape to sizes whose product overflows int64 is a ShapeError, not UB",
          "[autograd][shape][errors]") {
  // 2^32 x 2^32 = 2^64 does not fit an int64; the product used to wrap (UBSan: signed overflow).
  const Tensor x = zeros({4});
  const int64_t big = int64_t{1} << 32;
  REQUIRE_THROWS_WITH(reshape(x, {big, big}),
                      Catch::Contains("reshape: sizes (4294967296, 4294967296) hold more"));
  REQUIRE_THROWS_AS(reshape(x, {big, -1, big}), ShapeError);
}
