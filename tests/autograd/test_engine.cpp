// The backward engine: accumulation, graphs that reuse a node, retain_graph, NoGradGuard,
// detach, freed graphs and the errors each mistake gets.
#include <catch2/catch.hpp>

#include "embedlab.h"

using namespace embedlab;

TEST_CASE("a node used twice gets both gradients: d(x*x + x)/dx = 2x + 1", "[autograd][engine]") {
  Tensor x = tensor({1.0f, -2.0f, 3.0f}).requires_grad_();
  Tensor y = (x * x + x).sum();
  y.backward();
  REQUIRE(y.item() == Approx(1 + 1 + 4 - 2 + 9 + 3));
  REQUIRE(x.grad().at(0) == Approx(3.0f));
  REQUIRE(x.grad().at(1) == Approx(-3.0f));
  REQUIRE(x.grad().at(2) == Approx(7.0f));
}

TEST_CASE("gradients accumulate across backward calls until zeroed", "[autograd][engine]") {
  Tensor w = tensor({2.0f}).requires_grad_();
  (w * 3.0f).sum().backward();
  (w * 3.0f).sum().backward();
  REQUIRE(w.grad().at(0) == Approx(6.0f));
}

TEST_CASE("backward twice through one graph needs retain_graph", "[autograd][engine]") {
  Tensor x = tensor({1.0f, 2.0f}).requires_grad_();
  Tensor y = (x * x).sum();
  SECTION("without it the second call names the op and the fix") {
    y.backward();
    REQUIRE_THROWS_WITH(y.backward(),
                        Catch::Contains("second time") && Catch::Contains("retain_graph"));
  }
  SECTION("with it the second call adds the same gradient again") {
    y.backward(Tensor(), true);
    y.backward();
    REQUIRE(x.grad().at(1) == Approx(8.0f));
  }
}

TEST_CASE("NoGradGuard records no graph and detach cuts it", "[autograd][engine]") {
  Tensor x = tensor({1.0f}).requires_grad_();
  {
    NoGradGuard no_grad;
    Tensor y = x * 2.0f;
    REQUIRE_FALSE(y.requires_grad());
  }
  Tensor d = x.detach();
  REQUIRE_FALSE(d.requires_grad());
  REQUIRE(d.data().data() == x.data().data());  // same storage, as in PyTorch
}

TEST_CASE("backward on a non-scalar without a gradient is an error", "[autograd][engine][errors]") {
  Tensor x = tensor({1.0f, 2.0f}).requires_grad_();
  REQUIRE_THROWS_AS((x * 2.0f).backward(), AutogradError);
  REQUIRE_THROWS_WITH((x * 2.0f).backward(), Catch::Contains("shape (2) is not a scalar"));
}

TEST_CASE("the graph is freed when its tensors go out of scope", "[autograd][engine]") {
  const int64_t before = live_node_count();
  {
    Tensor w = randn({4, 3}).requires_grad_();
    for (int step = 0; step < 10; ++step) {
      Tensor loss = (matmul(w, ones({3})) * 2.0f).sum();
      loss.backward();
    }
    REQUIRE(live_node_count() >= before);
  }
  REQUIRE(live_node_count() == before);
}

TEST_CASE("a chain of 200,000 ops is freed without overflowing the stack", "[autograd][engine]") {
  Tensor x = tensor({1.0f}).requires_grad_();
  Tensor y = x;
  for (int i = 0; i < 200000; ++i)
    y = y + 1.0f;
  REQUIRE(y.item() == Approx(200001.0f));
  y = Tensor();
  REQUIRE(live_node_count() == 0);
}

TEST_CASE("matmul backward by gradcheck", "[autograd][matmul]") {
  Generator g(1);
  Tensor a = randn({3, 4}, g).requires_grad_();
  Tensor b = randn({4, 2}, g).requires_grad_();
  auto result =
      gradcheck([](const std::vector<Tensor>& in) { return matmul(in[0], in[1]); }, {a, b});
  INFO(result.report);
  REQUIRE(result.ok);
}

TEST_CASE("embedding backward touches only the looked-up rows", "[autograd][embedding]") {
  Tensor w = zeros({5, 2}).requires_grad_();
  Tensor ids = tensor({3, 1, 3}, DType::Int64);
  embedding(w, ids).sum().backward();
  REQUIRE(w.grad().at(3, 0) == Approx(2.0f));
  REQUIRE(w.grad().at(1, 1) == Approx(1.0f));
  REQUIRE(w.grad().at(0, 0) == 0.0f);
  REQUIRE_FALSE(grad_rows_of(w).all);
  REQUIRE(grad_rows_of(w).dense_rows == std::vector<int64_t>{3, 1});
}
