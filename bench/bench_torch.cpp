// bench_torch: the libtorch half of the embedlab-vs-libtorch comparison. Same workloads and
// benchmark names as bench_embedlab.cpp (sizes in bench_workloads.h); built only when CMake
// finds libtorch. scripts/bench_compare.py runs both programs.
//
// One thread: main() calls torch::set_num_threads(1), and the script runs this program with
// OPENBLAS_NUM_THREADS=1, because set_num_threads does not reach the BLAS that Debian's
// libtorch calls for matmul. Which BLAS that is (libblas.so.3 is an alternatives link: the
// reference BLAS, or OpenBLAS when installed) is printed in the context as "blas".
//
// Extra names that embedlab has no separate version of:
//   BM_EmbeddingStepSparse/V: Embedding(sparse=true), the sparse-gradient path;
//   BM_ToyStepAdamLazy: EmbeddingBag(sparse=true) with SparseAdam (ported below from
//   torch/optim/_functional.py, since the C++ frontend has no SparseAdam) + Adam for Linear.
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include "bench/bench_workloads.h"

namespace {

using namespace embedlab::bench;

// ---- 1. Per-op overhead ----

void BM_RecordedAdd(benchmark::State& state) {
  torch::Tensor a = torch::ones({1}, torch::requires_grad());
  torch::Tensor b = torch::full({1}, 2.0f, torch::requires_grad());
  for (auto _ : state) {
    torch::Tensor c = a + b;
    benchmark::DoNotOptimize(c.data_ptr());
  }
}
BENCHMARK(BM_RecordedAdd);

void BM_MulAddSumBackward(benchmark::State& state) {
  torch::Tensor a = torch::ones({1}, torch::requires_grad());
  torch::Tensor b = torch::full({1}, 2.0f, torch::requires_grad());
  for (auto _ : state) {
    (a * b + a).sum().backward();
    benchmark::DoNotOptimize(a.grad().data_ptr());
  }
}
BENCHMARK(BM_MulAddSumBackward);

// ---- 2. Tiny MLP step ----

void BM_TinyMlpStep(benchmark::State& state) {
  torch::manual_seed(7);
  torch::nn::Linear hidden(kMlpIn, kMlpHidden);
  torch::nn::Linear output(kMlpHidden, kMlpOut);
  std::vector<torch::Tensor> params = hidden->parameters();
  for (const auto& p : output->parameters())
    params.push_back(p);
  torch::optim::SGD sgd(params, torch::optim::SGDOptions(kSgdLr));
  const torch::Tensor x = torch::randn({kMlpBatch, kMlpIn});
  const torch::Tensor y = torch::randn({kMlpBatch, kMlpOut});
  for (auto _ : state) {
    sgd.zero_grad();
    torch::Tensor loss = torch::mse_loss(output(torch::tanh(hidden(x))), y);
    loss.backward();
    sgd.step();
    benchmark::DoNotOptimize(loss.data_ptr());
  }
}
BENCHMARK(BM_TinyMlpStep);

// ---- 3 and 4. Embedding lookups ----

std::vector<torch::Tensor> id_batches(int64_t V) {
  std::vector<torch::Tensor> batches;
  for (int64_t b = 0; b < kIdBatches; ++b)
    batches.push_back(torch::randint(0, V, {kLookups}, torch::kLong));
  return batches;
}

void BM_EmbeddingForward(benchmark::State& state) {
  const int64_t V = state.range(0);
  torch::manual_seed(3);
  torch::nn::Embedding embed(V, kDim);
  const std::vector<torch::Tensor> batches = id_batches(V);
  torch::NoGradGuard no_grad;
  size_t next = 0;
  for (auto _ : state) {
    torch::Tensor rows = embed(batches[next++ % batches.size()]);
    benchmark::DoNotOptimize(rows.data_ptr());
  }
  state.SetBytesProcessed(state.iterations() * kLookups * kDim *
                          static_cast<int64_t>(sizeof(float)));
}
BENCHMARK(BM_EmbeddingForward)->Arg(10'000)->Arg(1'000'000)->Unit(benchmark::kMicrosecond);

// Lookup, sum().backward(), SGD step, zero_grad; dense (V, D) gradient unless `sparse`.
void embedding_step(benchmark::State& state, bool sparse) {
  const int64_t V = state.range(0);
  torch::manual_seed(4);
  torch::nn::Embedding embed(torch::nn::EmbeddingOptions(V, kDim).sparse(sparse));
  torch::optim::SGD sgd(embed->parameters(), torch::optim::SGDOptions(kSgdLr));
  const std::vector<torch::Tensor> batches = id_batches(V);
  size_t next = 0;
  auto step = [&] {
    torch::Tensor loss = embed(batches[next++ % batches.size()]).sum();
    loss.backward();
    sgd.step();
    sgd.zero_grad();
    return loss;
  };
  step();  // warm-up: the first backward allocates the gradient
  for (auto _ : state)
    benchmark::DoNotOptimize(step().data_ptr());
}
void BM_EmbeddingStep(benchmark::State& state) {
  embedding_step(state, false);
}
void BM_EmbeddingStepSparse(benchmark::State& state) {
  embedding_step(state, true);
}
// The dense step at V = 1e6 takes about a second: a few iterations are enough.
BENCHMARK(BM_EmbeddingStep)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_EmbeddingStep)->Arg(1'000'000)->Unit(benchmark::kMicrosecond)->Iterations(5);
BENCHMARK(BM_EmbeddingStepSparse)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMicrosecond);

// ---- 5. Toy text classifier step ----

// SparseAdam, ported from torch/optim/_functional.py (sparse_adam) of PyTorch 1.13, for one
// parameter whose gradient is sparse.
struct SparseAdam {
  torch::Tensor param, exp_avg, exp_avg_sq;
  int64_t step = 0;
  double lr = kAdamLr, beta1 = 0.9, beta2 = 0.999, eps = 1e-8;

  explicit SparseAdam(torch::Tensor p)
      : param(p), exp_avg(torch::zeros_like(p)), exp_avg_sq(torch::zeros_like(p)) {}

  void update() {
    torch::NoGradGuard no_grad;
    torch::Tensor grad = param.grad().coalesce();  // the update is non-linear: unique indices
    const torch::Tensor indices = grad._indices(), values = grad._values();
    if (values.numel() == 0) return;
    ++step;
    auto make_sparse = [&](const torch::Tensor& v) {
      return torch::sparse_coo_tensor(indices, v, grad.sizes());
    };
    const torch::Tensor old_m = exp_avg.sparse_mask(grad)._values();
    torch::Tensor m_update = values.sub(old_m).mul_(1 - beta1);
    exp_avg.add_(make_sparse(m_update));
    const torch::Tensor old_v = exp_avg_sq.sparse_mask(grad)._values();
    torch::Tensor v_update = values.pow(2).sub_(old_v).mul_(1 - beta2);
    exp_avg_sq.add_(make_sparse(v_update));
    torch::Tensor numer = m_update.add_(old_m);
    torch::Tensor denom = v_update.add_(old_v).sqrt_().add_(eps);
    const double bias1 = 1 - std::pow(beta1, step), bias2 = 1 - std::pow(beta2, step);
    const double step_size = lr * std::sqrt(bias2) / bias1;
    param.add_(make_sparse(numer.div_(denom).mul_(-step_size)));
  }
  void zero_grad() {
    if (param.grad().defined()) param.mutable_grad() = torch::Tensor();
  }
};

struct ToyRun {
  torch::nn::EmbeddingBag bag;
  torch::nn::Linear fc{kDim, kToyClasses};
  std::vector<torch::Tensor> ids, labels;

  explicit ToyRun(bool sparse)
      : bag(torch::nn::EmbeddingBagOptions(kToyVocab, kDim).mode(torch::kMean).sparse(sparse)) {
    for (int64_t b = 0; b < kIdBatches; ++b) {
      ids.push_back(torch::randint(0, kToyVocab, {kToyBatch, kToyBagSize}, torch::kLong));
      labels.push_back(torch::randint(0, kToyClasses, {kToyBatch}, torch::kLong));
    }
  }
  std::vector<torch::Tensor> parameters() const {
    std::vector<torch::Tensor> params = bag->parameters();
    for (const auto& p : fc->parameters())
      params.push_back(p);
    return params;
  }
  torch::Tensor loss(size_t batch) {
    const size_t b = batch % ids.size();
    torch::Tensor loss = torch::cross_entropy_loss(fc(bag(ids[b])), labels[b]);
    loss.backward();
    return loss;
  }
};

void BM_ToyStepSGD(benchmark::State& state) {
  torch::manual_seed(5);
  ToyRun run(false);
  torch::optim::SGD sgd(run.parameters(), torch::optim::SGDOptions(kSgdLr));
  size_t batch = 0;
  auto step = [&] {
    torch::Tensor loss = run.loss(batch++);
    sgd.step();
    sgd.zero_grad();
    return loss;
  };
  step();  // warm-up: allocates gradients
  for (auto _ : state)
    benchmark::DoNotOptimize(step().data_ptr());
}
BENCHMARK(BM_ToyStepSGD)->Unit(benchmark::kMicrosecond);

void BM_ToyStepAdam(benchmark::State& state) {
  torch::manual_seed(5);
  ToyRun run(false);
  torch::optim::Adam adam(run.parameters(), torch::optim::AdamOptions(kAdamLr));
  size_t batch = 0;
  auto step = [&] {
    torch::Tensor loss = run.loss(batch++);
    adam.step();
    adam.zero_grad();
    return loss;
  };
  step();  // warm-up: allocates gradients and optimiser state
  for (auto _ : state)
    benchmark::DoNotOptimize(step().data_ptr());
}
BENCHMARK(BM_ToyStepAdam)->Unit(benchmark::kMicrosecond);

void BM_ToyStepAdamLazy(benchmark::State& state) {
  torch::manual_seed(5);
  ToyRun run(true);
  SparseAdam sparse_adam(run.bag->weight);
  torch::optim::Adam adam(run.fc->parameters(), torch::optim::AdamOptions(kAdamLr));
  size_t batch = 0;
  auto step = [&] {
    torch::Tensor loss = run.loss(batch++);
    sparse_adam.update();
    adam.step();
    sparse_adam.zero_grad();
    adam.zero_grad();
    return loss;
  };
  step();  // warm-up: allocates gradients and optimiser state
  for (auto _ : state)
    benchmark::DoNotOptimize(step().data_ptr());
}
BENCHMARK(BM_ToyStepAdamLazy)->Unit(benchmark::kMicrosecond);

// ---- 6. Matrix multiply ----

void BM_Matmul(benchmark::State& state) {
  const int64_t n = state.range(0);
  torch::manual_seed(2);
  const torch::Tensor a = torch::randn({n, n});
  const torch::Tensor b = torch::randn({n, n});
  for (auto _ : state) {
    torch::Tensor c = torch::matmul(a, b);
    benchmark::DoNotOptimize(c.data_ptr());
  }
  state.counters["FLOP/s"] = benchmark::Counter(2.0 * static_cast<double>(n * n * n),
                                                benchmark::Counter::kIsIterationInvariantRate,
                                                benchmark::Counter::kIs1000);
}
BENCHMARK(BM_Matmul)->RangeMultiplier(2)->Range(64, 1024)->Unit(benchmark::kMicrosecond);

// Returns the path of the BLAS library this process loaded (from /proc/self/maps), so the
// report says whether matmul ran on OpenBLAS or the reference BLAS.
std::string loaded_blas() {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    const size_t slash = line.find('/');
    if (slash == std::string::npos) continue;
    const std::string path = line.substr(slash);
    if (path.find("blas") != std::string::npos) return path;
  }
  return "unknown";
}

}  // namespace

int main(int argc, char** argv) {
  torch::set_num_threads(1);
  torch::set_num_interop_threads(1);
  torch::matmul(torch::ones({2, 2}), torch::ones({2, 2}));  // loads the BLAS before the report
  benchmark::AddCustomContext("blas", loaded_blas());
  benchmark::AddCustomContext("torch_threads", std::to_string(torch::get_num_threads()));
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
