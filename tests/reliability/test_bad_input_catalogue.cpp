// The bad-input catalogue, part 1 of 4: tensor/ and autograd/.
//
// Every TEST_CASE tagged [catalogue] feeds one bad input to the public API and checks the
// exception's type (from tensor/error.h) and that its message names the values involved
// (the sizes, ids, positions, ranges, op names). `test_reliability "[catalogue]"` runs them all;
// `test_reliability --list-tests "[catalogue]"` lists them.
//
// Count: 191 catalogue cases in all (checked with `test_reliability --list-tests "[catalogue]"`
// and `test_reliability_threads --list-tests "[catalogue]"`):
//   test_bad_input_catalogue.cpp           59  tensor and autograd (this file)
//   test_bad_input_catalogue_nn_optim.cpp  46  nn and optim
//   test_bad_input_catalogue_files.cpp     23  module / optimiser checkpoints and text
//   test_bad_input_catalogue_tools.cpp     22  io, viz, train and word2vec
//   test_second_sweep.cpp                  24  training on nothing, silent no-ops,
//                                              linear parsers, extreme sizes, checkpoint
//                                              fields, allocation failures, the option sweep
//   test_second_sweep_files.cpp             9  I/O errors with errno, pipes, NAME_MAX
//   test_threads_and_lifetimes.cpp          8  threads and lifetimes (program
//                                              test_reliability_threads; [threads] under TSan)
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <vector>

#include "autograd/gradcheck.h"
#include "autograd/ops.h"
#include "nn/embedding.h"
#include "reliability_test_utils.h"
#include "tensor/creation.h"
#include "tensor/error.h"

using namespace embedlab;
using embedlab::test::MessageHas;

namespace {
Tensor ids(std::initializer_list<float> values) {
  return tensor(values, DType::Int64);
}
}  // namespace

// ---- tensor/: shapes ----

TEST_CASE("a rank-3 Shape is refused with its sizes", "[catalogue][tensor]") {
  REQUIRE_THROWS_MATCHES((Shape{2, 3, 4}), ShapeError, MessageHas({"(2, 3, 4)", "rank 3"}));
}

TEST_CASE("a negative size in a Shape is refused with the dim", "[catalogue][tensor]") {
  REQUIRE_THROWS_MATCHES(Shape{-1}, ShapeError, MessageHas({"(-1)", "size -1 of dim 0"}));
}

TEST_CASE("a Shape whose element count overflows int64 is refused", "[catalogue][tensor]") {
  // 2^32 x 2^32 = 2^64 wraps to 0 in int64: a tensor that claims 2^64 elements over no storage.
  constexpr int64_t kBig = int64_t{1} << 32;
  REQUIRE_THROWS_MATCHES((Shape{kBig, kBig}), ShapeError,
                         MessageHas({"(4294967296, 4294967296)", "too many elements"}));
}

TEST_CASE("a rank-3 reshape is refused with the requested sizes", "[catalogue][tensor]") {
  Tensor x = zeros({2, 3});
  REQUIRE_THROWS_MATCHES(reshape(x, {1, 2, 3}), ShapeError, MessageHas({"(1, 2, 3)", "rank 3"}));
}

TEST_CASE("a reshape to another element count names both counts", "[catalogue][tensor]") {
  Tensor x = zeros({2, 3});
  REQUIRE_THROWS_MATCHES(reshape(x, {4, 2}), ShapeError,
                         MessageHas({"(2, 3) (6 elements)", "(4, 2) (8 elements)"}));
}

TEST_CASE("a reshape whose -1 cannot divide evenly names the sizes", "[catalogue][tensor]") {
  Tensor x = zeros({2, 3});
  REQUIRE_THROWS_MATCHES(x.reshape({4, -1}), ShapeError,
                         MessageHas({"(4, -1)", "6 is not a multiple of 4"}));
}

TEST_CASE("ragged nested lists name the short row", "[catalogue][tensor]") {
  REQUIRE_THROWS_MATCHES(tensor({{1, 2}, {3}}), ShapeError,
                         MessageHas({"row 1 has 1 values", "row 0 has 2"}));
}

TEST_CASE("a fractional id names the value and its position", "[catalogue][tensor]") {
  REQUIRE_THROWS_MATCHES(tensor({1, 2.5f}, DType::Int64), TypeError,
                         MessageHas({"2.5", "position 1"}));
}

TEST_CASE("from_vector with the wrong number of values names both counts", "[catalogue][tensor]") {
  REQUIRE_THROWS_MATCHES(from_vector({1, 2, 3}, Shape{2, 2}), ShapeError,
                         MessageHas({"3 values", "(2, 2)", "4 elements"}));
}

TEST_CASE("arange with a negative end names it", "[catalogue][tensor]") {
  REQUIRE_THROWS_MATCHES(arange(-3), ValueError, MessageHas({"end -3", "negative"}));
}

TEST_CASE("arange with a zero step names start, end and step", "[catalogue][tensor]") {
  REQUIRE_THROWS_MATCHES(arange(0.0, 1.0, 0.0), ValueError,
                         MessageHas({"start 0", "end 1", "step 0"}));
}

TEST_CASE("randint over an empty range names the range", "[catalogue][tensor]") {
  REQUIRE_THROWS_MATCHES(randint(5, 5, Shape{3}), ValueError, MessageHas({"[5, 5)"}));
}

// ---- tensor/: element access ----

TEST_CASE("item() on three elements names the shape and the count", "[catalogue][tensor]") {
  REQUIRE_THROWS_MATCHES(tensor({1, 2, 3}).item(), ValueError,
                         MessageHas({"shape (3)", "3 elements"}));
}

TEST_CASE("at() past the end names the index and the range", "[catalogue][tensor]") {
  REQUIRE_THROWS_MATCHES(tensor({1, 2, 3}).at(5), IndexError, MessageHas({"index 5", "[0, 3)"}));
}

TEST_CASE("at(row, col) with a bad row names the row and the range", "[catalogue][tensor]") {
  REQUIRE_THROWS_MATCHES(zeros({2, 2}).at(2, 0), IndexError,
                         MessageHas({"row", "index 2", "[0, 2)"}));
}

TEST_CASE("at(row, col) on a vector names its shape", "[catalogue][tensor]") {
  REQUIRE_THROWS_MATCHES(tensor({1, 2, 3}).at(0, 0), ShapeError, MessageHas({"matrix", "(3)"}));
}

TEST_CASE("size() of a missing dim names the dim and the shape", "[catalogue][tensor]") {
  REQUIRE_THROWS_MATCHES(zeros({2, 3}).size(2), IndexError,
                         MessageHas({"dim 2", "(2, 3)", "rank-2"}));
}

TEST_CASE("data() on int64 ids names the dtype and the shape", "[catalogue][tensor]") {
  Tensor t = ids({1, 2, 3});
  REQUIRE_THROWS_MATCHES(t.data(), TypeError, MessageHas({"int64", "(3)", "ids()"}));
}

TEST_CASE("ids() on float values names the dtype and the shape", "[catalogue][tensor]") {
  Tensor t = zeros({2, 2});
  REQUIRE_THROWS_MATCHES(t.ids(), TypeError, MessageHas({"float32", "(2, 2)", "data()"}));
}

TEST_CASE("requires_grad_ on int64 ids names the dtype and shape", "[catalogue][tensor]") {
  Tensor t = ids({1, 2, 3});
  REQUIRE_THROWS_MATCHES(t.requires_grad_(), TypeError, MessageHas({"int64", "(3)"}));
}

TEST_CASE("using an undefined tensor says it is undefined", "[catalogue][tensor]") {
  Tensor t;
  REQUIRE_THROWS_MATCHES(t.shape(), ValueError, MessageHas({"undefined"}));
  REQUIRE_THROWS_MATCHES(add(t, zeros({2})), ValueError, MessageHas({"undefined"}));
}

// ---- autograd/: shape mismatches of every binary op ----

TEST_CASE("add of (2, 3) and (4) names the op and both shapes", "[catalogue][autograd]") {
  REQUIRE_THROWS_MATCHES(zeros({2, 3}) + zeros({4}), ShapeError,
                         MessageHas({"add", "(2, 3)", "(4)", "broadcast"}));
}

TEST_CASE("sub of (2, 3) and (3, 2) names the op and both shapes", "[catalogue][autograd]") {
  REQUIRE_THROWS_MATCHES(zeros({2, 3}) - zeros({3, 2}), ShapeError,
                         MessageHas({"sub", "(2, 3)", "(3, 2)"}));
}

TEST_CASE("mul of (3) and (4) names the op and both shapes", "[catalogue][autograd]") {
  REQUIRE_THROWS_MATCHES(zeros({3}) * zeros({4}), ShapeError, MessageHas({"mul", "(3)", "(4)"}));
}

TEST_CASE("div of (2, 1) and (3, 2) names the op and both shapes", "[catalogue][autograd]") {
  REQUIRE_THROWS_MATCHES(zeros({2, 1}) / zeros({3, 2}), ShapeError,
                         MessageHas({"div", "(2, 1)", "(3, 2)"}));
}

TEST_CASE("matmul with different inner sizes names the shapes and sizes", "[catalogue][autograd]") {
  REQUIRE_THROWS_MATCHES(matmul(zeros({2, 3}), zeros({2, 3})), ShapeError,
                         MessageHas({"matmul", "(2, 3)", "inner sizes 3 != 2"}));
}

TEST_CASE("matmul of int64 ids names the operand and its shape", "[catalogue][autograd]") {
  REQUIRE_THROWS_MATCHES(matmul(ids({1, 2}), zeros({2, 2})), TypeError,
                         MessageHas({"matmul", "int64", "(2)"}));
}

TEST_CASE("rowwise_dot of (2, 3) and (3, 2) names both shapes", "[catalogue][autograd]") {
  REQUIRE_THROWS_MATCHES(rowwise_dot(zeros({2, 3}), zeros({3, 2})), ShapeError,
                         MessageHas({"rowwise_dot", "(2, 3)", "(3, 2)"}));
}

TEST_CASE("cosine_similarity of (3) and (4) names both shapes", "[catalogue][autograd]") {
  REQUIRE_THROWS_MATCHES(cosine_similarity(zeros({3}), zeros({4})), ShapeError,
                         MessageHas({"cosine_similarity", "(3)", "(4)"}));
}

TEST_CASE("cat of (2, 3) and (2, 4) by rows names the misfit", "[catalogue][autograd]") {
  REQUIRE_THROWS_MATCHES(cat({zeros({2, 3}), zeros({2, 4})}, 0), ShapeError,
                         MessageHas({"cat", "tensor 1", "(2, 4)", "(2, 3)", "dim 0"}));
}

TEST_CASE("stack of matrices is refused as rank 3", "[catalogue][autograd]") {
  REQUIRE_THROWS_MATCHES(stack({zeros({2, 3}), zeros({2, 3})}), ShapeError,
                         MessageHas({"stack", "(2, 3)", "rank 3", "cat"}));
}

TEST_CASE("stack of vectors of different lengths names both shapes", "[catalogue][autograd]") {
  REQUIRE_THROWS_MATCHES(stack({zeros({3}), zeros({4})}), ShapeError,
                         MessageHas({"tensor 1", "(4)", "(3)"}));
}

TEST_CASE("copy_ from another shape names both shapes", "[catalogue][autograd]") {
  Tensor x = zeros({3});
  REQUIRE_THROWS_MATCHES(copy_(x, zeros({2})), ShapeError, MessageHas({"copy_", "(2)", "(3)"}));
}

// ---- autograd/: ids out of range, float ids ----

TEST_CASE("Embedding of (B, L) ids is refused as rank 3 and points to EmbeddingBag",
          "[catalogue][autograd][embedding]") {
  nn::Embedding embed(10, 3);
  Tensor batch = tensor({{1, 2, 3, 4}, {5, 6, 7, 8}}, DType::Int64);
  REQUIRE_THROWS_MATCHES(embed(batch), ShapeError,
                         MessageHas({"(2, 4)", "rank 3", "(2, 4, 3)", "EmbeddingBag"}));
}

TEST_CASE("embedding of an id past the table names id, position and range",
          "[catalogue][autograd][embedding]") {
  REQUIRE_THROWS_MATCHES(embedding(zeros({10, 3}), ids({0, 4, 10})), IndexError,
                         MessageHas({"embedding", "id 10 at position 2", "[0, 10)"}));
}

TEST_CASE("embedding of a negative id names id, position and range",
          "[catalogue][autograd][embedding]") {
  REQUIRE_THROWS_MATCHES(embedding(zeros({10, 3}), ids({-1})), IndexError,
                         MessageHas({"id -1 at position 0", "[0, 10)"}));
}

TEST_CASE("embedding of float ids names the dtype and shape", "[catalogue][autograd][embedding]") {
  REQUIRE_THROWS_MATCHES(embedding(zeros({10, 3}), tensor({1, 2})), TypeError,
                         MessageHas({"embedding", "int64", "float32", "(2)"}));
}

TEST_CASE("embedding_bag of an id past the table names id, position and range",
          "[catalogue][autograd][embedding]") {
  Tensor bags = tensor({{0, 1}, {2, 7}}, DType::Int64);
  REQUIRE_THROWS_MATCHES(embedding_bag(zeros({5, 2}), bags, Tensor(), BagMode::Sum), IndexError,
                         MessageHas({"embedding_bag", "id 7 at position 3", "[0, 5)"}));
}

TEST_CASE("embedding_bag offsets past the ids name the bad offset",
          "[catalogue][autograd][embedding]") {
  // Offset 1 is 5 with only 3 ids: the message must point at offset 1, not offset 0.
  REQUIRE_THROWS_MATCHES(embedding_bag(zeros({5, 2}), ids({0, 1, 2}), ids({0, 5}), BagMode::Sum),
                         ValueError, MessageHas({"offset 1 is 5", "[0, 3]"}));
}

TEST_CASE("one_hot of a class past num_classes names id, position and range",
          "[catalogue][autograd]") {
  REQUIRE_THROWS_MATCHES(one_hot(ids({0, 3}), 3), IndexError,
                         MessageHas({"one_hot", "id 3 at position 1", "[0, 3)"}));
}

TEST_CASE("one_hot of float ids names the dtype", "[catalogue][autograd]") {
  REQUIRE_THROWS_MATCHES(one_hot(tensor({0, 1}), 3), TypeError,
                         MessageHas({"one_hot", "float32", "(2)"}));
}

TEST_CASE("one_hot with zero classes names num_classes", "[catalogue][autograd]") {
  REQUIRE_THROWS_MATCHES(one_hot(ids({0}), 0), ValueError, MessageHas({"num_classes", "got 0"}));
}

TEST_CASE("select past the last row names index, rows and shape", "[catalogue][autograd]") {
  REQUIRE_THROWS_MATCHES(select(zeros({3, 2}), 5), IndexError,
                         MessageHas({"index 5", "3 rows", "(3, 2)"}));
}

TEST_CASE("slice past the end names the range and the dim size", "[catalogue][autograd]") {
  REQUIRE_THROWS_MATCHES(slice(zeros({3, 2}), 0, 1, 5), IndexError,
                         MessageHas({"[1, 5)", "dim 0 of size 3"}));
}

TEST_CASE("sum along a missing dim names the op, dim and shape", "[catalogue][autograd]") {
  REQUIRE_THROWS_MATCHES(sum(zeros({2, 3}), 2), IndexError,
                         MessageHas({"sum", "dim 2", "(2, 3)", "valid dims: -2 to 1"}));
}

TEST_CASE("max, min and norm along a missing dim name the op, dim and shape",
          "[catalogue][autograd]") {
  REQUIRE_THROWS_MATCHES(max(zeros({2, 3}), 2), IndexError, MessageHas({"max", "dim 2", "(2, 3)"}));
  REQUIRE_THROWS_MATCHES(min(zeros({4}), -2), IndexError, MessageHas({"min", "dim -2", "(4)"}));
  REQUIRE_THROWS_MATCHES(norm(zeros({2, 3}), 3), IndexError,
                         MessageHas({"norm", "dim 3", "(2, 3)"}));
}

TEST_CASE("clamp with min above max names both bounds", "[catalogue][autograd]") {
  REQUIRE_THROWS_MATCHES(clamp(zeros({2}), 2.0f, 1.0f), ValueError, MessageHas({"min 2", "max 1"}));
}

TEST_CASE("mean of an empty tensor says it is empty", "[catalogue][autograd]") {
  REQUIRE_THROWS_MATCHES(mean(zeros({0})), ValueError, MessageHas({"mean", "empty"}));
}

// ---- autograd/: misuse of backward ----

TEST_CASE("backward twice without retain_graph names the op and the fix",
          "[catalogue][autograd][backward]") {
  Tensor w = tensor({1, 2}).requires_grad_();
  Tensor loss = sum(w * w);
  loss.backward();
  REQUIRE_THROWS_MATCHES(loss.backward(), AutogradError,
                         MessageHas({"'sum'", "second time", "retain_graph"}));
}

TEST_CASE("backward on a non-scalar names its shape", "[catalogue][autograd][backward]") {
  Tensor w = tensor({1, 2, 3}).requires_grad_();
  REQUIRE_THROWS_MATCHES((w * 2.0f).backward(), AutogradError, MessageHas({"(3)", "not a scalar"}));
}

TEST_CASE("backward on a tensor that does not require grad names its shape",
          "[catalogue][autograd][backward]") {
  Tensor x = tensor({1, 2, 3});
  REQUIRE_THROWS_MATCHES(sum(x).backward(), AutogradError,
                         MessageHas({"shape ()", "does not require grad"}));
}

TEST_CASE("backward with a gradient of the wrong shape names both shapes",
          "[catalogue][autograd][backward]") {
  Tensor w = tensor({1, 2, 3}).requires_grad_();
  REQUIRE_THROWS_MATCHES((w * 2.0f).backward(zeros({2})), ShapeError, MessageHas({"(2)", "(3)"}));
}

TEST_CASE("an input changed in place after an op saved it blocks backward",
          "[catalogue][autograd][backward]") {
  Tensor w = tensor({1, 2, 3}).requires_grad_();
  Tensor x = tensor({4, 5, 6});
  Tensor loss = sum(w * x);  // mul's backward needs x
  add_(x, ones({3}));
  REQUIRE_THROWS_MATCHES(loss.backward(), AutogradError,
                         MessageHas({"mul", "input 1", "(3)", "version 1", "expected 0"}));
}

TEST_CASE("an in-place op on a leaf that requires grad names the op and the fix",
          "[catalogue][autograd]") {
  Tensor w = tensor({1, 2, 3}).requires_grad_();
  REQUIRE_THROWS_MATCHES(add_(w, ones({3})), AutogradError,
                         MessageHas({"add_", "(3)", "requires grad", "NoGradGuard"}));
}

TEST_CASE("requires_grad_(false) on an op's output names the op", "[catalogue][autograd]") {
  Tensor w = tensor({1, 2}).requires_grad_();
  Tensor y = w * 2.0f;
  REQUIRE_THROWS_MATCHES(y.requires_grad_(false), AutogradError, MessageHas({"'mul'", "detach"}));
}

// ---- autograd/: gradcheck misuse ----

TEST_CASE("gradcheck of an undefined input names the input", "[catalogue][autograd][gradcheck]") {
  Tensor x = tensor({1, 2}).requires_grad_();
  auto f = [](const std::vector<Tensor>& in) { return in[0] * 2.0f; };
  REQUIRE_THROWS_MATCHES(gradcheck(f, {x, Tensor()}), ValueError,
                         MessageHas({"gradcheck", "input 1", "undefined"}));
}

TEST_CASE("gradcheck with no input that requires grad says so",
          "[catalogue][autograd][gradcheck]") {
  auto f = [](const std::vector<Tensor>& in) { return in[0] * 2.0f; };
  REQUIRE_THROWS_MATCHES(gradcheck(f, {tensor({1, 2})}), ValueError,
                         MessageHas({"gradcheck", "none of the 1 inputs", "requires_grad_"}));
}

TEST_CASE("gradcheck with a zero step names eps", "[catalogue][autograd][gradcheck]") {
  Tensor x = tensor({1, 2}).requires_grad_();
  auto f = [](const std::vector<Tensor>& in) { return tanh(in[0]); };
  GradcheckOptions options;
  options.eps = 0.0;
  REQUIRE_THROWS_MATCHES(gradcheck(f, {x}, options), ValueError,
                         MessageHas({"gradcheck", "eps = 0"}));
}

TEST_CASE("a tensor too large for memory is a ValueError naming the shape", "[catalogue][tensor]") {
  REQUIRE_THROWS_AS(zeros({int64_t{1} << 31, int64_t{1} << 31}), ValueError);
  REQUIRE_THROWS_WITH(zeros({int64_t{1} << 31, int64_t{1} << 31}),
                      Catch::Contains("(2147483648, 2147483648)"));
}

TEST_CASE("the functional embedding ops refuse a padding_idx outside the table",
          "[catalogue][autograd]") {
  Tensor w = zeros({10, 2});
  Tensor ids = tensor({1, 2}, DType::Int64);
  REQUIRE_THROWS_AS(embedding(w, ids, EmbeddingGrad{.padding_idx = 12}), IndexError);
  REQUIRE_THROWS_WITH(embedding(w, ids, EmbeddingGrad{.padding_idx = 12}),
                      Catch::Contains("padding_idx 12 out of range [0, 10)"));
  REQUIRE_THROWS_WITH(
      embedding_bag(w, tensor({{1, 2}}, DType::Int64), Tensor(), BagMode::Sum, Tensor(), -3),
      Catch::Contains("embedding_bag: padding_idx -3 out of range [0, 10)"));
}
