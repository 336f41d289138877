// textbook_backward (the course assignment's task 2.1): hand-computed gradients, a tensor used
// twice, and the same gradients as Tensor::backward on a small embedding model.
#include <catch2/catch.hpp>

#include "autograd/textbook_backward.h"
#include "autograd_test_utils.h"

using namespace embedlab;
using embedlab::test::require_values;

TEST_CASE("textbook_backward gives the hand-computed gradients of x y + x",
          "[autograd][textbook][task2.1]") {
  Tensor x = tensor({2.0f}).requires_grad_();
  Tensor y = tensor({3.0f}).requires_grad_();
  textbook_backward((x * y + x).sum());
  require_values(x.grad(), {1}, {4.0f});  // d/dx = y + 1 = 4
  require_values(y.grad(), {1}, {2.0f});  // d/dy = x = 2
}

TEST_CASE("textbook_backward adds both gradients of a tensor used twice",
          "[autograd][textbook][task2.1]") {
  // a = x * x is read twice: f = a + a * 3, so df/da = 4 and df/dx = 4 * 2x = 16 at x = 2.
  Tensor x = tensor({2.0f}).requires_grad_();
  Tensor a = x * x;
  textbook_backward((a + a * 3.0f).sum());
  require_values(x.grad(), {1}, {16.0f});
}

TEST_CASE("textbook_backward and Tensor::backward give the same gradients",
          "[autograd][textbook][task2.1]") {
  // A small embedding model: mean of sigmoid(embedding(W, ids) . V) with a repeated id.
  auto run = [](bool textbook) {
    Generator generator(5);
    Tensor W = randn({6, 3}, generator).requires_grad_();
    Tensor V = randn({3, 2}, generator).requires_grad_();
    Tensor loss = mean(sigmoid(matmul(embedding(W, from_ids({4, 1, 4}, Shape{3})), V)));
    if (textbook) {
      textbook_backward(loss);
    } else {
      loss.backward();
    }
    return std::vector<Tensor>{W.grad(), V.grad()};
  };
  const std::vector<Tensor> ours = run(true), engine = run(false);
  for (size_t k = 0; k < ours.size(); ++k) {
    REQUIRE(ours[k].shape() == engine[k].shape());
    for (int64_t i = 0; i < ours[k].numel(); ++i)
      REQUIRE(ours[k].data()[i] == Approx(engine[k].data()[i]).margin(1e-6));
  }
}

TEST_CASE("textbook_backward needs a one-element tensor that requires grad",
          "[autograd][textbook][errors]") {
  REQUIRE_THROWS_AS(textbook_backward(tensor({1.0f})), AutogradError);
  Tensor x = tensor({1.0f, 2.0f}).requires_grad_();
  REQUIRE_THROWS_WITH(
      textbook_backward(x * 2.0f),
      Catch::Contains("needs a one-element tensor that requires grad, got shape (2)"));
}
