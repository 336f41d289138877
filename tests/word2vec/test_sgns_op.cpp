// Tests of word2vec/sgns_op.h: the fused skip-gram and CBOW losses against numbers worked out
// by hand, against finite differences (gradcheck), and against the same losses composed from
// ordinary ops; which rows their backward touches; and their argument errors.
#include <catch2/catch.hpp>

#include <vector>

#include "embedlab.h"
#include "word2vec/sgns_op.h"

using namespace embedlab;
using namespace embedlab::word2vec;

namespace {

Tensor ids(std::initializer_list<float> values) {
  return tensor(values, DType::Int64);
}
Tensor id_matrix(std::initializer_list<std::initializer_list<float>> rows) {
  return tensor(rows, DType::Int64);
}

// The tables of the hand-worked example, V = 3, D = 2.
Tensor hand_w_in() {
  return tensor({{1, 2}, {0, -1}, {0.5f, 0.5f}}).requires_grad_();
}
Tensor hand_w_out() {
  return tensor({{0.5f, 0}, {1, 1}, {-1, 0.5f}}).requires_grad_();
}

void require_rows(const Tensor& t, const std::vector<float>& expected, double margin = 1e-5) {
  INFO("tensor " << t.to_string());
  REQUIRE(t.numel() == static_cast<int64_t>(expected.size()));
  for (size_t i = 0; i < expected.size(); ++i) {
    INFO("element " << i);
    REQUIRE(t.data()[i] == Approx(expected[i]).margin(margin));
  }
}

// Random (V, D) tables, small enough that sigmoid stays away from saturation.
Tensor random_table(int64_t V, int64_t D, uint64_t seed) {
  Generator generator(seed);
  Tensor t = randn(Shape{V, D}, generator);
  for (float& v : t.data())
    v *= 0.5f;
  return t.requires_grad_();
}

}  // namespace

TEST_CASE("sgns_loss equals the loss worked out by hand", "[word2vec][sgns]") {
  // Example 0: u = (1, 2); positive row 1 gives x = 3, negative row 2 gives x = 0.
  // Example 1: u = (0, -1); positive row 0 gives x = 0, negative row 1 gives x = -1.
  // loss = softplus(-3) + softplus(0) + softplus(0) + softplus(-1)
  //      = 0.048587 + 0.693147 + 0.693147 + 0.313262 = 1.748143
  Tensor w_in = hand_w_in(), w_out = hand_w_out();
  Tensor loss = sgns_loss(w_in, w_out, ids({0, 1}), id_matrix({{1, 2}, {0, 1}}));
  REQUIRE(loss.rank() == 0);
  CHECK(loss.item() == Approx(1.748143).margin(1e-5));
  CHECK(loss.grad_fn_name() == "sgns_loss");

  SECTION("backward gives error times the other row") {
    // e = sigmoid(x) - label: (-0.047426, 0.5) and (-0.5, 0.268941)
    loss.backward();
    require_rows(w_in.grad(), {-0.547426f, 0.202574f, 0.018941f, 0.268941f, 0, 0});
    require_rows(w_out.grad(), {0, 0.5f, -0.047426f, -0.363793f, 0.5f, 1});
  }
}

TEST_CASE("sgns_loss_composed gives the loss worked out by hand, skipping a repeated positive",
          "[word2vec][sgns][task6.1]") {
  // The same batch as above: 1.748143. Then only the positive term of example 0 is left when
  // both negatives equal the positive word: softplus(-3) = 0.048587.
  Tensor w_in = hand_w_in(), w_out = hand_w_out();
  CHECK(sgns_loss_composed(w_in, w_out, ids({0, 1}), id_matrix({{1, 2}, {0, 1}})).item() ==
        Approx(1.748143).margin(1e-5));
  Tensor loss = sgns_loss_composed(w_in, w_out, ids({0}), id_matrix({{1, 1, 1}}));
  CHECK(loss.item() == Approx(0.048587).margin(1e-5));
  loss.backward();
  require_rows(w_out.grad(), {0, 0, -0.047426f, -0.094852f, 0, 0});
}

TEST_CASE("a negative equal to the positive word is skipped", "[word2vec][sgns]") {
  // Only the positive term of example 0 is left: softplus(-3) = 0.048587.
  Tensor w_in = hand_w_in(), w_out = hand_w_out();
  Tensor loss = sgns_loss(w_in, w_out, ids({0}), id_matrix({{1, 1, 1}}));
  CHECK(loss.item() == Approx(0.048587).margin(1e-5));
  loss.backward();
  require_rows(w_out.grad(), {0, 0, -0.047426f, -0.094852f, 0, 0});
}

TEST_CASE("cbow_loss equals the loss worked out by hand", "[word2vec][cbow]") {
  // The bag {0, 1} averages to h = (0.5, 0.5); the centre row 2 gives x = -0.25, the negative
  // row 0 gives x = 0.25: loss = softplus(0.25) + softplus(0.25) = 1.651879.
  Tensor w_in = hand_w_in(), w_out = hand_w_out();
  Tensor loss = cbow_loss(w_in, w_out, ids({0, 1}), ids({0}), id_matrix({{2, 0}}));
  CHECK(loss.item() == Approx(1.651879).margin(1e-5));
  CHECK(loss.grad_fn_name() == "cbow_loss");
  loss.backward();
  // e = (sigmoid(-0.25) - 1, sigmoid(0.25)) = (-0.562177, 0.562177);
  // grad_h = -0.562177 (-1, 0.5) + 0.562177 (0.5, 0) = (0.843266, -0.281089), halved per row.
  require_rows(w_in.grad(), {0.421633f, -0.140544f, 0.421633f, -0.140544f, 0, 0});
  require_rows(w_out.grad(), {0.281089f, 0.281089f, 0, 0, -0.281089f, -0.281089f});
}

TEST_CASE("sgns_loss passes gradcheck", "[word2vec][sgns][gradcheck]") {
  const Tensor centers = ids({0, 3, 3, 1, 4});
  const Tensor targets = id_matrix({{2, 1, 4}, {0, 0, 2}, {3, 3, 1}, {1, 4, 2}, {2, 2, 0}});
  auto f = [&](const std::vector<Tensor>& in) { return sgns_loss(in[0], in[1], centers, targets); };
  const GradcheckResult result = gradcheck(f, {random_table(5, 3, 1), random_table(5, 3, 2)});
  INFO(result.report);
  REQUIRE(result.ok);
}

TEST_CASE("cbow_loss passes gradcheck", "[word2vec][cbow][gradcheck]") {
  const Tensor contexts = ids({0, 1, 2, 3, 3, 4, 1});  // bags {0, 1, 2}, {3}, {3, 4, 1}
  const Tensor offsets = ids({0, 3, 4});
  const Tensor targets = id_matrix({{4, 0, 1}, {2, 2, 3}, {0, 4, 2}});
  auto f = [&](const std::vector<Tensor>& in) {
    return cbow_loss(in[0], in[1], contexts, offsets, targets);
  };
  const GradcheckResult result = gradcheck(f, {random_table(5, 4, 3), random_table(5, 4, 4)});
  INFO(result.report);
  REQUIRE(result.ok);
}

namespace {
// The gradients of `loss` with respect to a and b, from a fresh backward.
std::vector<Tensor> gradients(const Tensor& loss, const Tensor& a, const Tensor& b) {
  for (const Tensor* t : {&a, &b})
    reset_grad(*t);
  loss.backward();
  return std::vector<Tensor>{a.grad().detach().clone(), b.grad().detach().clone()};
}

void require_same(const std::vector<Tensor>& x, const std::vector<Tensor>& y) {
  for (size_t k = 0; k < x.size(); ++k) {
    for (int64_t i = 0; i < x[k].numel(); ++i)
      REQUIRE(x[k].data()[i] == Approx(y[k].data()[i]).margin(1e-5));
  }
}
}  // namespace

TEST_CASE("the fused skip-gram op matches the composed loss in loss and gradients",
          "[word2vec][sgns][task6.1]") {
  const Tensor w_in = random_table(7, 5, 5), w_out = random_table(7, 5, 6);
  const Tensor centers = ids({6, 0, 6, 2});
  const Tensor targets = id_matrix({{1, 5, 1}, {6, 6, 3}, {2, 0, 4}, {5, 5, 5}});
  Tensor fused = sgns_loss(w_in, w_out, centers, targets);
  Tensor composed = sgns_loss_composed(w_in, w_out, centers, targets);
  CHECK(fused.item() == Approx(composed.item()).margin(1e-5));
  require_same(gradients(fused, w_in, w_out), gradients(composed, w_in, w_out));
}

TEST_CASE("the fused CBOW op matches the composed loss in loss and gradients", "[word2vec][cbow]") {
  const Tensor w_in = random_table(7, 5, 5), w_out = random_table(7, 5, 6);
  const Tensor contexts = ids({1, 2, 2, 6, 0, 3});  // bags {1, 2}, {2, 6, 0}, {3}
  const Tensor offsets = ids({0, 2, 5});
  const Tensor targets = id_matrix({{0, 4, 0}, {5, 1, 1}, {3, 3, 6}});
  Tensor fused = cbow_loss(w_in, w_out, contexts, offsets, targets);
  Tensor composed = cbow_loss_composed(w_in, w_out, contexts, offsets, targets);
  CHECK(fused.item() == Approx(composed.item()).margin(1e-5));
  require_same(gradients(fused, w_in, w_out), gradients(composed, w_in, w_out));
}

TEST_CASE("the backward of sgns_loss touches only the rows the batch used", "[word2vec][sgns]") {
  Tensor w_in = random_table(1000, 8, 7), w_out = random_table(1000, 8, 8);
  sgns_loss(w_in, w_out, ids({10, 20, 10}), id_matrix({{30, 40}, {30, 50}, {60, 40}})).backward();
  CHECK(grad_row_count(w_in) == 2);   // rows 10 and 20
  CHECK(grad_row_count(w_out) == 4);  // rows 30, 40, 50 and 60
}

TEST_CASE("an empty batch has loss 0", "[word2vec][sgns]") {
  const Tensor none = from_ids({}, Shape{0});
  const Tensor no_targets = from_ids({}, Shape{0, 3});
  CHECK(sgns_loss(hand_w_in(), hand_w_out(), none, no_targets).item() == 0.0f);
}

TEST_CASE("the word2vec ops name bad arguments", "[word2vec][sgns][errors]") {
  const Tensor w_in = hand_w_in(), w_out = hand_w_out();
  REQUIRE_THROWS_WITH(sgns_loss(w_in, w_out, ids({0, 5}), id_matrix({{1, 2}, {0, 1}})),
                      Catch::Contains("sgns_loss: id 5 at position 1 out of range [0, 3)"));
  REQUIRE_THROWS_WITH(sgns_loss(w_in, w_out, ids({0}), id_matrix({{1, 9}})),
                      Catch::Contains("id 9 at position 1 out of range [0, 3)"));
  REQUIRE_THROWS_WITH(sgns_loss(w_in, w_out, ids({0, 1}), id_matrix({{1, 2}})),
                      Catch::Contains("targets must be (N, 1 + K) with N = 2"));
  REQUIRE_THROWS_WITH(sgns_loss(w_in, zeros(Shape{3, 4}), ids({0}), id_matrix({{1}})),
                      Catch::Contains("one shape, got (3, 2) and (3, 4)"));
  REQUIRE_THROWS_AS(sgns_loss(w_in, w_out, tensor({0}), id_matrix({{1}})), TypeError);
  REQUIRE_THROWS_AS(sgns_loss(w_in, w_out, id_matrix({{0}}), id_matrix({{1}})), ShapeError);
  REQUIRE_THROWS_WITH(cbow_loss(w_in, w_out, ids({0, 1}), ids({0, 2}), id_matrix({{1}, {2}})),
                      Catch::Contains("no empty bag"));
  REQUIRE_THROWS_WITH(cbow_loss(w_in, w_out, ids({0, 1}), ids({1}), id_matrix({{1}})),
                      Catch::Contains("offsets must start at 0"));
  REQUIRE_THROWS_WITH(cbow_loss(w_in, w_out, ids({0, 7}), ids({0}), id_matrix({{1}})),
                      Catch::Contains("cbow_loss: id 7"));
}
