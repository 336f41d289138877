// embedding, index_select and one_hot: lookups by rank of the ids, the error for every bad id,
// lookup == one_hot(ids) . W exactly, and gradcheck of the lookups.
#include <catch2/catch.hpp>

#include "autograd_test_utils.h"

using namespace embedlab;
using embedlab::test::Inputs;
using embedlab::test::require_values;
using embedlab::test::table;

TEST_CASE("embedding of a rank-0 id gives one row as a vector", "[autograd][embedding]") {
  // row 3 of the table is [6, 7]
  require_values(embedding(table(), tensor(3.0f, DType::Int64)), {2}, {6, 7});
}

TEST_CASE("embedding of (N) ids gives an (N, D) matrix, rows repeated as asked",
          "[autograd][embedding]") {
  require_values(embedding(table(), tensor({3, 1, 3}, DType::Int64)), {3, 2}, {6, 7, 2, 3, 6, 7});
  REQUIRE(embedding(table(), from_ids({}, Shape{0})).shape() == Shape{0, 2});
}

TEST_CASE("embedding of rank-2 ids points to EmbeddingBag", "[autograd][embedding][errors]") {
  const Tensor ids = from_ids({1, 2, 3, 4}, Shape{2, 2});
  REQUIRE_THROWS_AS(embedding(table(), ids), ShapeError);
  REQUIRE_THROWS_WITH(embedding(table(), ids),
                      Catch::Contains("EmbeddingBag") && Catch::Contains("(2, 2)"));
}

TEST_CASE("an id out of range names the id, its position and the range",
          "[autograd][embedding][errors]") {
  REQUIRE_THROWS_AS(embedding(table(), tensor({1, 2, 3, 12}, DType::Int64)), IndexError);
  REQUIRE_THROWS_WITH(embedding(table(), tensor({1, 2, 3, 12}, DType::Int64)),
                      Catch::Contains("id 12 at position 3 out of range [0, 10)"));
  REQUIRE_THROWS_WITH(embedding(table(), tensor({-1}, DType::Int64)),
                      Catch::Contains("id -1 at position 0 out of range [0, 10)"));
}

TEST_CASE("float ids and a weight that is not a matrix are refused",
          "[autograd][embedding][errors]") {
  REQUIRE_THROWS_AS(embedding(table(), tensor({1.0f, 2.0f})), TypeError);
  REQUIRE_THROWS_WITH(embedding(table(), tensor({1.0f, 2.0f})),
                      Catch::Contains("ids must be int64"));
  REQUIRE_THROWS_AS(embedding(zeros({10}), tensor({1}, DType::Int64)), ShapeError);
  REQUIRE_THROWS_AS(embedding(tensor({1}, DType::Int64), tensor({1}, DType::Int64)), TypeError);
}

TEST_CASE("lookup equals one_hot(ids) . W exactly, gradients too", "[autograd][embedding]") {
  Generator g(1);
  Tensor w1 = randn({10, 4}, g).requires_grad_();
  Tensor w2 = w1.detach().clone().requires_grad_();
  const Tensor ids = randint(0, 10, {6}, g);
  const Tensor lookup = embedding(w1, ids);
  const Tensor product = matmul(one_hot(ids, 10), w2);
  REQUIRE(lookup.shape() == product.shape());
  for (int64_t i = 0; i < lookup.numel(); ++i)
    REQUIRE(lookup.data()[i] == product.data()[i]);
  const Tensor weights = randn({6, 4}, g);
  (lookup * weights).sum().backward();
  (product * weights).sum().backward();
  for (int64_t i = 0; i < w1.numel(); ++i)
    REQUIRE(w1.grad().data()[i] == Approx(w2.grad().data()[i]).margin(1e-6));
}

TEST_CASE("embedding passes gradcheck with repeated ids", "[autograd][embedding][gradcheck]") {
  const Tensor ids = tensor({4, 0, 4, 2, 4}, DType::Int64);
  test::require_gradcheck([&ids](const Inputs& in) { return embedding(in[0], ids); },
                          {test::random_input({5, 3}, 2)});
  const Tensor one = tensor(2.0f, DType::Int64);
  test::require_gradcheck([&one](const Inputs& in) { return embedding(in[0], one); },
                          {test::random_input({5, 3}, 3)});
}

TEST_CASE("index_select picks rows, columns or vector elements", "[autograd][index_select]") {
  const Tensor x = tensor({{1, 2, 3}, {4, 5, 6}});
  const Tensor ids = tensor({2, 0}, DType::Int64);
  require_values(index_select(x, 0, tensor({1, 1}, DType::Int64)), {2, 3}, {4, 5, 6, 4, 5, 6});
  // columns 2 and 0: [[3, 1], [6, 4]]
  require_values(index_select(x, 1, ids), {2, 2}, {3, 1, 6, 4});
  require_values(index_select(x, -1, ids), {2, 2}, {3, 1, 6, 4});
  require_values(index_select(tensor({10, 20, 30}), 0, tensor({2, 2, 0}, DType::Int64)), {3},
                 {30, 30, 10});
}

TEST_CASE("index_select checks its ids and dim", "[autograd][index_select][errors]") {
  const Tensor x = zeros({2, 3});
  REQUIRE_THROWS_AS(index_select(x, 0, from_ids({0, 1}, Shape{1, 2})), ShapeError);
  REQUIRE_THROWS_WITH(index_select(x, 0, from_ids({0, 1}, Shape{1, 2})),
                      Catch::Contains("ids must be a vector"));
  REQUIRE_THROWS_AS(index_select(x, 2, tensor({0}, DType::Int64)), IndexError);
  REQUIRE_THROWS_WITH(index_select(x, 1, tensor({3}, DType::Int64)),
                      Catch::Contains("id 3 at position 0 out of range [0, 3)"));
  REQUIRE_THROWS_AS(index_select(x, 0, tensor({0.0f})), TypeError);
}

TEST_CASE("index_select passes gradcheck along every dim", "[autograd][index_select][gradcheck]") {
  const Tensor ids = tensor({1, 3, 1}, DType::Int64);
  for (int dim : {0, 1}) {
    INFO("dim " << dim);
    test::require_gradcheck([&ids, dim](const Inputs& in) { return index_select(in[0], dim, ids); },
                            {test::random_input({4, 4}, 4)});
  }
  test::require_gradcheck([&ids](const Inputs& in) { return index_select(in[0], 0, ids); },
                          {test::random_input({5}, 5)});
}

TEST_CASE("one_hot turns ids into rows with a single 1", "[autograd][one_hot]") {
  require_values(one_hot(tensor({2, 0}, DType::Int64), 3), {2, 3}, {0, 0, 1, 1, 0, 0});
  require_values(one_hot(tensor(1.0f, DType::Int64), 3), {3}, {0, 1, 0});
  REQUIRE_FALSE(one_hot(tensor({0}, DType::Int64), 2).requires_grad());
}

TEST_CASE("one_hot with num_classes -1 (the default) takes max(ids) + 1 classes",
          "[autograd][one_hot]") {
  // max 2 -> 3 classes
  require_values(one_hot(tensor({2, 0}, DType::Int64)), {2, 3}, {0, 0, 1, 1, 0, 0});
  require_values(one_hot(tensor({2, 0}, DType::Int64), -1), {2, 3}, {0, 0, 1, 1, 0, 0});
  // max 4 -> 5 classes, even for a single id; a scalar id 1 -> 2 classes
  require_values(one_hot(tensor({4}, DType::Int64)), {1, 5}, {0, 0, 0, 0, 1});
  require_values(one_hot(tensor(int64_t{1}, DType::Int64)), {2}, {0, 1});
  SECTION("it stays float32, ready for matmul (docs/design.md lists the difference)") {
    REQUIRE(one_hot(tensor({1}, DType::Int64)).dtype() == DType::Float32);
  }
  SECTION("no ids and a given num_classes: an empty (0, 3) matrix") {
    REQUIRE(one_hot(from_ids({}, Shape{0}), 3).shape() == Shape{0, 3});
  }
}

TEST_CASE("one_hot refuses an empty tensor with -1 and negative ids, naming them",
          "[autograd][one_hot][errors]") {
  REQUIRE_THROWS_AS(one_hot(from_ids({}, Shape{0})), ValueError);
  REQUIRE_THROWS_WITH(one_hot(from_ids({}, Shape{0})),
                      Catch::Contains("cannot infer the number of classes from an empty tensor"));
  for (int64_t num_classes : {int64_t{-1}, int64_t{3}}) {
    INFO("num_classes " << num_classes);
    REQUIRE_THROWS_AS(one_hot(tensor({1, -2}, DType::Int64), num_classes), IndexError);
    REQUIRE_THROWS_WITH(one_hot(tensor({1, -2}, DType::Int64), num_classes),
                        Catch::Contains("one_hot: id -2 at position 1 is negative"));
  }
  REQUIRE_THROWS_WITH(
      one_hot(tensor({1}, DType::Int64), -2),
      Catch::Contains("num_classes must be positive, got -2") && Catch::Contains("-1 to infer"));
}

TEST_CASE("one_hot refuses bad ids and class counts", "[autograd][one_hot][errors]") {
  REQUIRE_THROWS_AS(one_hot(tensor({3}, DType::Int64), 3), IndexError);
  REQUIRE_THROWS_WITH(one_hot(tensor({0, 3}, DType::Int64), 3),
                      Catch::Contains("one_hot: id 3 at position 1 out of range [0, 3)"));
  REQUIRE_THROWS_AS(one_hot(tensor({0}, DType::Int64), 0), ValueError);
  REQUIRE_THROWS_WITH(one_hot(tensor({0}, DType::Int64), 0),
                      Catch::Contains("num_classes must be positive, got 0"));
  REQUIRE_THROWS_AS(one_hot(tensor({0.0f}), 2), TypeError);
  REQUIRE_THROWS_AS(one_hot(from_ids({0, 1}, Shape{1, 2}), 2), ShapeError);
}
