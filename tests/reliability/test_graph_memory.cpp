// Graph memory: every autograd node is freed again, after a training loop, after a graph that
// is never backwarded, after backward with retain_graph, after a failed backward, and for ops
// whose backward reads their own output (a node that saved its output would keep itself alive
// through a reference cycle: output -> grad_fn -> saved output).
//
// live_node_count() (autograd/node.h) counts nodes alive in the process; each test compares it
// with its value at the start, so tests stay independent of one another.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "autograd/node.h"
#include "autograd/ops.h"
#include "nn/embedding.h"
#include "nn/linear.h"
#include "nn/loss.h"
#include "optim/adam.h"
#include "tensor/creation.h"
#include "tensor/error.h"

using namespace embedlab;

namespace {

// A toy sentence classifier: a bag of words (EmbeddingBag, mean) plus the embedding of one
// "topic" id per sentence (Embedding), then Linear to 2 classes.
struct ToyModel {
  Generator generator{7};
  nn::Embedding topic{4, 8, {}, generator};
  nn::EmbeddingBag words{20, 8, {}, generator};
  nn::Linear fc{8, 2, true, generator};

  std::vector<Tensor> parameters() { return {topic.weight, words.weight, fc.weight, fc.bias}; }
  Tensor forward(const Tensor& sentences, const Tensor& topics) {
    return fc(words(sentences) + topic(topics));
  }
};

// Sentences with words 0-9 are class 0, words 10-19 class 1.
struct ToyBatch {
  Tensor sentences = tensor({{1, 2, 3}, {11, 12, 13}, {4, 5, 6}, {14, 15, 16}}, DType::Int64);
  Tensor topics = tensor({0, 1, 2, 3}, DType::Int64);
  Tensor labels = tensor({0, 1, 0, 1}, DType::Int64);
};

}  // namespace

TEST_CASE("a 200-step training loop leaves no graph node behind", "[reliability][memory]") {
  const int64_t start = live_node_count();
  float first_loss = 0.0f, last_loss = 0.0f;
  {
    ToyModel model;
    ToyBatch batch;
    optim::Adam adam(model.parameters(), {.lr = 0.01});
    int64_t alive_after_first_step = -1;
    for (int step = 0; step < 200; ++step) {
      Tensor loss = nn::cross_entropy(model.forward(batch.sentences, batch.topics), batch.labels);
      loss.backward();
      adam.step();
      adam.zero_grad();
      if (step == 0) first_loss = loss.item();
      last_loss = loss.item();
      // While `loss` lives only its own (released) node may remain; the count must not grow.
      const int64_t alive = live_node_count() - start;
      if (step == 0) alive_after_first_step = alive;
      REQUIRE(alive == alive_after_first_step);
      REQUIRE(alive <= 1);
    }
  }
  REQUIRE(live_node_count() == start);
  REQUIRE(first_loss > 0.5f);               // about log 2 at the start
  REQUIRE(last_loss < first_loss / 10.0f);  // the loop really trained
}

TEST_CASE("a graph that is never backwarded is freed at scope exit", "[reliability][memory]") {
  const int64_t start = live_node_count();
  {
    ToyModel model;
    ToyBatch batch;
    Tensor loss = nn::cross_entropy(model.forward(batch.sentences, batch.topics), batch.labels);
    REQUIRE(live_node_count() - start >= 5);  // embedding, embedding_bag, add, linear, losses
  }
  REQUIRE(live_node_count() == start);
}

TEST_CASE("a graph kept by retain_graph is freed at scope exit", "[reliability][memory]") {
  const int64_t start = live_node_count();
  {
    ToyModel model;
    ToyBatch batch;
    Tensor loss = nn::cross_entropy(model.forward(batch.sentences, batch.topics), batch.labels);
    const int64_t before = live_node_count();
    loss.backward(Tensor(), /*retain_graph=*/true);
    REQUIRE(live_node_count() == before);  // nothing freed yet: the graph may run again
    loss.backward();                       // the second run frees it
    REQUIRE(live_node_count() - start <= 1);
  }
  REQUIRE(live_node_count() == start);
}

TEST_CASE("a backward that fails leaves no graph node behind", "[reliability][memory]") {
  const int64_t start = live_node_count();
  {
    Tensor w = tensor({1, 2, 3}).requires_grad_();
    Tensor x = tensor({4, 5, 6});
    Tensor loss = sum(exp(w * x));
    add_(x, ones({3}));  // mul saved x: backward must refuse
    REQUIRE_THROWS_AS(loss.backward(), AutogradError);
  }
  REQUIRE(live_node_count() == start);
}

TEST_CASE("ops whose backward reads their output do not keep themselves alive",
          "[reliability][memory]") {
  // exp, sigmoid, sqrt, softmax, log_softmax and norm (both forms) use their output in
  // backward; they get it as an argument instead of saving it in their node. (tanh and
  // cosine_similarity do the same through the same record_op; they are course-assignment tasks,
  // left out so that this test never waits on a student's task.)
  const int64_t start = live_node_count();
  std::vector<std::weak_ptr<TensorImpl>> outputs;
  std::vector<std::weak_ptr<Node>> nodes;
  {
    Tensor x = tensor({{0.5f, 1.0f}, {2.0f, 0.25f}}).requires_grad_();
    const std::vector<Tensor> results = {exp(x),         sigmoid(x), sqrt(x),   softmax(x),
                                         log_softmax(x), norm(x),    norm(x, 1)};
    for (const Tensor& out : results) {
      outputs.push_back(out.impl_ptr());
      nodes.push_back(out.impl()->grad_fn);
    }
    SECTION("without backward") {}
    SECTION("after backward") {
      Tensor total = tensor(0.0f);
      for (const Tensor& out : results)
        total = total + sum(out);
      total.backward();
    }
    SECTION("after backward with retain_graph") {
      Tensor total = tensor(0.0f);
      for (const Tensor& out : results)
        total = total + sum(out);
      total.backward(Tensor(), /*retain_graph=*/true);
    }
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    INFO("result " << i);
    REQUIRE(outputs[i].expired());
    REQUIRE(nodes[i].expired());
  }
  REQUIRE(live_node_count() == start);
}

TEST_CASE("a graph that uses one tensor twice is freed after backward", "[reliability][memory]") {
  const int64_t start = live_node_count();
  {
    Tensor w = tensor({1, 2}).requires_grad_();
    Tensor h = sigmoid(w);
    Tensor loss = sum(h * h + h);  // h feeds three inputs
    loss.backward();
    // d/dw (h^2 + h) = (2h + 1) h (1 - h) with h = sigmoid(w)
    const double h1 = 1.0 / (1.0 + std::exp(-1.0));
    REQUIRE(w.grad().at(0) == Approx((2 * h1 + 1) * h1 * (1 - h1)).margin(1e-5));
  }
  REQUIRE(live_node_count() == start);
}

TEST_CASE("a chain of 50,000 ops is freed without a deep recursion", "[reliability][memory]") {
  const int64_t start = live_node_count();
  {
    Tensor x = tensor({1.0f}).requires_grad_();
    Tensor y = x;
    for (int i = 0; i < 50000; ++i)
      y = y * 1.0f;
    REQUIRE(live_node_count() - start == 50000);
  }
  REQUIRE(live_node_count() == start);
}
