// Tools around the graph: anomaly mode, retain_grad, backward with an explicit gradient,
// to_dot, gradcheck catching a wrong gradient, and graph memory over a training loop.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "autograd_test_utils.h"

using namespace embedlab;
using embedlab::test::Inputs;
using embedlab::test::require_values;

TEST_CASE("anomaly mode names the op whose forward made a NaN", "[autograd][anomaly][errors]") {
  Tensor x = tensor({-1.0f, 2.0f}).requires_grad_();
  SECTION("log of a negative number names 'log'") {
    DetectAnomalyGuard anomaly;
    REQUIRE(anomaly_mode_enabled());
    REQUIRE_THROWS_AS(log(x), AutogradError);
    REQUIRE_THROWS_WITH(log(x), Catch::Contains("'log'") && Catch::Contains("NaN or Inf"));
  }
  SECTION("without the guard the NaN is returned silently, as in PyTorch") {
    REQUIRE_FALSE(anomaly_mode_enabled());
    REQUIRE(std::isnan(log(x).at(0)));
  }
}

TEST_CASE("anomaly mode names the op whose backward made an Inf", "[autograd][anomaly][errors]") {
  // sqrt(0) = 0 is finite, but its derivative 1 / (2 sqrt 0) is Inf.
  Tensor x = tensor({0.0f, 4.0f}).requires_grad_();
  DetectAnomalyGuard anomaly;
  Tensor y = (sqrt(x) * 2.0f).sum();
  REQUIRE_THROWS_WITH(y.backward(),
                      Catch::Contains("backward of 'sqrt'") && Catch::Contains("input 0"));
}

TEST_CASE("the anomaly guard restores the previous mode", "[autograd][anomaly]") {
  {
    DetectAnomalyGuard outer;
    { DetectAnomalyGuard inner; }
    REQUIRE(anomaly_mode_enabled());
  }
  REQUIRE_FALSE(anomaly_mode_enabled());
}

TEST_CASE("retain_grad keeps the gradient of a non-leaf", "[autograd][engine]") {
  Tensor x = tensor({1, 2}).requires_grad_();
  Tensor y = x * 2.0f;  // y = [2, 4]
  Tensor unretained = x * 3.0f;
  y.retain_grad();
  (y * y + unretained).sum().backward();
  // d/dy sum(y^2) = 2y = [4, 8]; d/dx = 2 * 2y + 3 = [11, 19]
  require_values(y.grad(), {2}, {4, 8});
  require_values(x.grad(), {2}, {11, 19});
  REQUIRE_FALSE(unretained.grad().defined());
}

TEST_CASE("a retained gradient accumulates without being sent back twice", "[autograd][engine]") {
  Tensor x = tensor({1, 2}).requires_grad_();
  Tensor y = x * 2.0f;
  y.retain_grad();
  Tensor z = (y * y).sum();
  z.backward(Tensor(), true);
  z.backward();
  // Each backward adds 2y = [4, 8] to y.grad and 2 * 2y = [8, 16] to x.grad, as in PyTorch.
  require_values(y.grad(), {2}, {8, 16});
  require_values(x.grad(), {2}, {16, 32});
}

TEST_CASE("backward of a non-scalar takes an explicit gradient", "[autograd][engine]") {
  Tensor x = tensor({1, 2, 3}).requires_grad_();
  Tensor y = x * x;
  y.backward(tensor({1.0f, 0.5f, 2.0f}));
  // grad_x = 2x * gradient = [2 * 1 * 1, 2 * 2 * 0.5, 2 * 3 * 2]
  require_values(x.grad(), {3}, {2, 2, 12});
  SECTION("a gradient of another shape names both shapes") {
    Tensor z = x * x;
    REQUIRE_THROWS_AS(z.backward(zeros({2})), ShapeError);
    REQUIRE_THROWS_WITH(
        z.backward(zeros({2})),
        Catch::Contains("gradient of shape (2) does not match tensor of shape (3)"));
  }
}

TEST_CASE("backward on a tensor without a graph says what to do", "[autograd][engine][errors]") {
  REQUIRE_THROWS_AS(tensor({1.0f}).backward(), AutogradError);
  REQUIRE_THROWS_WITH(tensor({1.0f}).backward(), Catch::Contains("requires_grad_()"));
}

TEST_CASE("to_dot draws ops and tensor shapes as Graphviz text", "[autograd][dot]") {
  Tensor a = tensor({1, 2, 3}).requires_grad_();
  Tensor b = tensor({4, 5, 6}).requires_grad_();
  const Tensor root = (a * b + a).sum();
  const std::string dot = to_dot(root);
  REQUIRE(dot.rfind("digraph", 0) == 0);
  for (const char* op : {"label=\"mul\"", "label=\"add\"", "label=\"sum\""})
    REQUIRE(dot.find(op) != std::string::npos);
  REQUIRE(dot.find("shape (3)") != std::string::npos);
  REQUIRE(dot.find("shape ()") != std::string::npos);
  REQUIRE(dot.find("data 1 2 3") != std::string::npos);
  SECTION("Graphviz dot accepts it, when installed") {
    if (std::system("command -v dot > /dev/null 2>&1") != 0) {
      WARN("graphviz 'dot' not installed: skipping the rendering check");
      return;
    }
    const auto dir = std::filesystem::temp_directory_path();
    const std::string input = (dir / "embedlab_test_graph.dot").string();
    const std::string output = (dir / "embedlab_test_graph.svg").string();
    std::ofstream(input) << dot;
    const int status = std::system(("dot -Tsvg " + input + " -o " + output).c_str());
    std::stringstream svg;
    svg << std::ifstream(output).rdbuf();
    std::filesystem::remove(input);
    std::filesystem::remove(output);
    REQUIRE(status == 0);
    REQUIRE(svg.str().find("<svg") != std::string::npos);
  }
}

TEST_CASE("gradcheck catches a gradient that backward gets wrong", "[autograd][gradcheck]") {
  // x * detach(x) has slope 2x, but backward only sees the first factor: x.
  auto wrong = [](const Inputs& in) { return in[0] * in[0].detach(); };
  const GradcheckResult result = gradcheck(wrong, {tensor({1.0f, 2.0f}).requires_grad_()});
  REQUIRE_FALSE(result.ok);
  REQUIRE(result.input == 0);
  REQUIRE(result.element == 0);
  REQUIRE(result.report.find("gradcheck failed: input 0 element 0") != std::string::npos);
  const GradcheckResult right =
      gradcheck([](const Inputs& in) { return in[0] * in[0]; }, {test::random_input({3}, 1)});
  REQUIRE(right.ok);
  REQUIRE(right.report.find("gradcheck passed: 3 elements") != std::string::npos);
}

TEST_CASE("graph nodes return to their starting count after a training loop",
          "[autograd][engine][memory]") {
  const int64_t before = live_node_count();
  {
    Generator g(2);
    Tensor table = randn({10, 4}, g).requires_grad_();
    Tensor out = randn({4, 3}, g).requires_grad_();
    for (int step = 0; step < 20; ++step) {
      const Tensor ids = randint(0, 10, {5}, g);
      const Tensor targets = randint(0, 3, {5}, g);
      const Tensor logits = matmul(embedding(table, ids), out);
      const Tensor loss = -(log_softmax(logits) * one_hot(targets, 3)).sum() / 5.0f;
      REQUIRE(live_node_count() > before);
      loss.backward();
      NoGradGuard no_grad;
      for (Tensor* p : {&table, &out}) {
        add_(*p, p->grad(), -0.1f);
        reset_grad(*p);
      }
    }
  }
  REQUIRE(live_node_count() == before);
}
