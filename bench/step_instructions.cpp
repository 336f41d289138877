// step_instructions: runs one of bench_embedlab's workloads a given number of times, for
// valgrind's callgrind to count the instructions of one step without timing noise.
// Google Benchmark picks its iteration count by time, which under valgrind changes from run to
// run; here the count is fixed, so the difference of two runs (N and 3N steps) divided by 2N is
// the cost of one step, setup excluded. scripts/count_instructions.sh does that, and can build
// this file against another checkout's libraries to compare two versions (docs/performance.md,
// "Engine layout change"). It uses only API that e3fce7e, main before the engine redesign,
// already had.
//
//   step_instructions WORKLOAD STEPS
//   WORKLOAD: add | mul_add_sum_backward | tiny_mlp | toy_sgd | toy_adam | toy_adam_lazy |
//             embedding_step_V (V rows, e.g. embedding_step_10000)
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "autograd/ops.h"
#include "bench/bench_workloads.h"
#include "nn/embedding.h"
#include "nn/linear.h"
#include "nn/loss.h"
#include "optim/adam.h"
#include "optim/sgd.h"
#include "tensor/creation.h"
#include "tensor/random.h"

using namespace embedlab;
using namespace embedlab::bench;

namespace {

// Each workload is bench_embedlab's of the same name; returns a value that depends on every
// step, printed so that the compiler cannot drop the work. One warm-up step runs first.
float recorded_add(long steps) {
  Tensor a = tensor({1.0f}).requires_grad_(), b = tensor({2.0f}).requires_grad_();
  float last = 0.0f;
  for (long i = 0; i <= steps; ++i)
    last = (a + b).data()[0];
  return last;
}

float mul_add_sum_backward(long steps) {
  Tensor a = tensor({1.0f}).requires_grad_(), b = tensor({2.0f}).requires_grad_();
  for (long i = 0; i <= steps; ++i)
    (a * b + a).sum().backward();
  return a.grad().data()[0];
}

float tiny_mlp(long steps) {
  Generator generator(7);
  nn::Linear hidden(kMlpIn, kMlpHidden, true, generator);
  nn::Linear output(kMlpHidden, kMlpOut, true, generator);
  std::vector<Tensor> params = hidden.parameters();
  for (const Tensor& p : output.parameters())
    params.push_back(p);
  optim::SGD sgd(params, {.lr = kSgdLr});
  const Tensor x = randn({kMlpBatch, kMlpIn}, generator);
  const Tensor y = randn({kMlpBatch, kMlpOut}, generator);
  float total = 0.0f;
  for (long i = 0; i <= steps; ++i) {
    sgd.zero_grad();
    Tensor loss = nn::mse_loss(output(tanh(hidden(x))), y);
    loss.backward();
    sgd.step();
    total += loss.data()[0];
  }
  return total;
}

float embedding_step(int64_t V, long steps) {
  Generator generator(4);
  nn::Embedding embed(V, kDim, {}, generator);
  optim::SGD sgd(embed.parameters(), {.lr = kSgdLr});
  std::vector<Tensor> batches;
  for (int64_t b = 0; b < kIdBatches; ++b)
    batches.push_back(randint(0, V, {kLookups}, generator));
  float total = 0.0f;
  for (long i = 0; i <= steps; ++i) {
    Tensor loss = embed(batches[static_cast<size_t>(i) % batches.size()]).sum();
    loss.backward();
    sgd.step();
    sgd.zero_grad();
    total += loss.data()[0];
  }
  return total;
}

float toy_step(const std::string& optimizer, long steps) {
  Generator generator(5);
  nn::EmbeddingBag bag(kToyVocab, kDim, {}, generator);
  nn::Linear fc(kDim, kToyClasses, true, generator);
  std::vector<Tensor> ids, labels;
  for (int64_t b = 0; b < kIdBatches; ++b) {
    ids.push_back(randint(0, kToyVocab, {kToyBatch, kToyBagSize}, generator));
    labels.push_back(randint(0, kToyClasses, {kToyBatch}, generator));
  }
  std::vector<Tensor> params = bag.parameters();
  for (const Tensor& p : fc.parameters())
    params.push_back(p);
  std::unique_ptr<optim::Optimizer> opt;
  if (optimizer == "sgd")
    opt = std::make_unique<optim::SGD>(params, optim::SGDOptions{.lr = kSgdLr});
  else
    opt = std::make_unique<optim::Adam>(
        params, optim::AdamOptions{.lr = kAdamLr, .lazy = optimizer == "adam_lazy"});
  float total = 0.0f;
  for (long i = 0; i <= steps; ++i) {
    const size_t batch = static_cast<size_t>(i) % ids.size();
    Tensor loss = nn::cross_entropy(fc(bag(ids[batch])), labels[batch]);
    loss.backward();
    opt->step();
    opt->zero_grad();
    total += loss.data()[0];
  }
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string workload = argc == 3 ? argv[1] : "";
  const long steps = argc == 3 ? std::atol(argv[2]) : 0;
  const std::string embedding_prefix = "embedding_step_";
  float result = 0.0f;
  if (steps < 1) {
    std::fprintf(stderr,
                 "usage: step_instructions WORKLOAD STEPS (STEPS >= 1)\n  WORKLOAD: add, "
                 "mul_add_sum_backward, tiny_mlp, toy_sgd, toy_adam, toy_adam_lazy, "
                 "embedding_step_V\n");
    return 2;
  } else if (workload == "add") {
    result = recorded_add(steps);
  } else if (workload == "mul_add_sum_backward") {
    result = mul_add_sum_backward(steps);
  } else if (workload == "tiny_mlp") {
    result = tiny_mlp(steps);
  } else if (workload == "toy_sgd" || workload == "toy_adam" || workload == "toy_adam_lazy") {
    result = toy_step(workload.substr(4), steps);
  } else if (workload.rfind(embedding_prefix, 0) == 0) {
    const long V = std::atol(workload.c_str() + embedding_prefix.size());
    if (V < 1) {
      std::fprintf(stderr, "step_instructions: '%s' needs a row count >= 1 after '%s'\n",
                   workload.c_str(), embedding_prefix.c_str());
      return 2;
    }
    result = embedding_step(V, steps);
  } else {
    std::fprintf(stderr, "step_instructions: unknown workload '%s'\n", workload.c_str());
    return 2;
  }
  std::printf("%g\n", static_cast<double>(result));
  return 0;
}
