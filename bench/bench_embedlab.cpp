// bench_embedlab: the embedlab half of the embedlab-vs-libtorch comparison. bench_torch.cpp runs
// the same workloads under the same names; scripts/bench_compare.py runs both and prints the
// side-by-side table that docs/performance.md shows.
//
// Workloads (sizes in bench_workloads.h):
//   1. per-op overhead: BM_RecordedAdd, BM_MulAddSumBackward (one-element tensors)
//   2. BM_TinyMlpStep: Linear(2, 16) -> tanh -> Linear(16, 1), batch 8, MSE, SGD
//   3. BM_EmbeddingForward/V: 4096 random rows of a (V, 128) table (GB/s of output)
//   4. BM_EmbeddingStep/V: lookup, sum().backward(), SGD step, zero_grad
//   5. BM_ToyStep{SGD,Adam,AdamLazy}: EmbeddingBag mean -> Linear(128, 2) -> cross_entropy
//      BM_EmbeddingBagForward/mode/V: the (64, 16) bags pooled by sum, mean or max (embedlab
//      only: bench_torch has no counterpart, so bench_compare.py shows it in one column)
//   6. BM_Matmul/n: (n, n) . (n, n), GFLOP/s
//
// Run from a Release build with -DEMBEDLAB_NATIVE=ON (see docs/performance.md):
//   ./build/release/bench/bench_embedlab --benchmark_min_time=0.2
// Left out: threads (embedlab is single-threaded by design).
#include <benchmark/benchmark.h>

#include <cstdint>
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

namespace {

using namespace embedlab;
using namespace embedlab::bench;

// ---- 1. Per-op overhead ----

// c = a + b on one-element tensors that require grad: allocating the output and recording
// (then freeing) its graph node.
void BM_RecordedAdd(benchmark::State& state) {
  Tensor a = tensor({1.0f}).requires_grad_();
  Tensor b = tensor({2.0f}).requires_grad_();
  for (auto _ : state) {
    Tensor c = a + b;
    benchmark::DoNotOptimize(c.impl());
  }
}
BENCHMARK(BM_RecordedAdd);

// (a * b + a).sum().backward(): three recorded ops and a backward through a graph that uses
// `a` twice; gradients accumulate, as in PyTorch.
void BM_MulAddSumBackward(benchmark::State& state) {
  Tensor a = tensor({1.0f}).requires_grad_();
  Tensor b = tensor({2.0f}).requires_grad_();
  for (auto _ : state) {
    (a * b + a).sum().backward();
    benchmark::DoNotOptimize(a.grad().impl());
  }
}
BENCHMARK(BM_MulAddSumBackward);

// ---- 2. Tiny MLP step ----

void BM_TinyMlpStep(benchmark::State& state) {
  Generator generator(7);
  nn::Linear hidden(kMlpIn, kMlpHidden, true, generator);
  nn::Linear output(kMlpHidden, kMlpOut, true, generator);
  std::vector<Tensor> params = hidden.parameters();
  for (const Tensor& p : output.parameters())
    params.push_back(p);
  optim::SGD sgd(params, {.lr = kSgdLr});
  const Tensor x = randn({kMlpBatch, kMlpIn}, generator);
  const Tensor y = randn({kMlpBatch, kMlpOut}, generator);
  for (auto _ : state) {
    sgd.zero_grad();
    Tensor loss = nn::mse_loss(output(tanh(hidden(x))), y);
    loss.backward();
    sgd.step();
    benchmark::DoNotOptimize(loss.impl());
  }
}
BENCHMARK(BM_TinyMlpStep);

// ---- 3 and 4. Embedding lookups ----

// kIdBatches batches of kLookups random ids in [0, V), cycled through by the loops.
std::vector<Tensor> id_batches(int64_t V, Generator& generator) {
  std::vector<Tensor> batches;
  for (int64_t b = 0; b < kIdBatches; ++b)
    batches.push_back(randint(0, V, {kLookups}, generator));
  return batches;
}

// The lookup alone, as in inference (no graph recorded); reports GB/s of output written.
void BM_EmbeddingForward(benchmark::State& state) {
  const int64_t V = state.range(0);
  Generator generator(3);
  nn::Embedding embed(V, kDim, {}, generator);
  const std::vector<Tensor> batches = id_batches(V, generator);
  NoGradGuard no_grad;
  size_t next = 0;
  for (auto _ : state) {
    Tensor rows = embed(batches[next++ % batches.size()]);
    benchmark::DoNotOptimize(rows.data().data());
  }
  state.SetBytesProcessed(state.iterations() * kLookups * kDim *
                          static_cast<int64_t>(sizeof(float)));
}
BENCHMARK(BM_EmbeddingForward)->Arg(10'000)->Arg(1'000'000)->Unit(benchmark::kMicrosecond);

// One training step of a lone embedding: lookup, sum().backward(), SGD step, zero_grad. The
// gradient is row-sparse, so the step should cost the same whatever V is.
void BM_EmbeddingStep(benchmark::State& state) {
  const int64_t V = state.range(0);
  Generator generator(4);
  nn::Embedding embed(V, kDim, {}, generator);
  optim::SGD sgd(embed.parameters(), {.lr = kSgdLr});
  const std::vector<Tensor> batches = id_batches(V, generator);
  size_t next = 0;
  auto step = [&] {
    Tensor loss = embed(batches[next++ % batches.size()]).sum();
    loss.backward();
    sgd.step();
    sgd.zero_grad();
    return loss;
  };
  step();  // warm-up: the first backward allocates the (V, D) gradient buffer once
  for (auto _ : state)
    benchmark::DoNotOptimize(step().impl());
}
BENCHMARK(BM_EmbeddingStep)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMicrosecond);

// ---- 5. Toy text classifier step ----

// The toy model and kIdBatches batches of (64, 16) ids with their class labels.
struct ToyRun {
  Generator generator{5};
  nn::EmbeddingBag bag{kToyVocab, kDim, {}, generator};
  nn::Linear fc{kDim, kToyClasses, true, generator};
  std::vector<Tensor> ids, labels;

  ToyRun() {
    for (int64_t b = 0; b < kIdBatches; ++b) {
      ids.push_back(randint(0, kToyVocab, {kToyBatch, kToyBagSize}, generator));
      labels.push_back(randint(0, kToyClasses, {kToyBatch}, generator));
    }
  }
  std::vector<Tensor> parameters() const {
    std::vector<Tensor> params = bag.parameters();
    for (const Tensor& p : fc.parameters())
      params.push_back(p);
    return params;
  }
  // One step: forward, loss, backward, update, zero_grad.
  Tensor step(optim::Optimizer& optimizer, size_t batch) {
    Tensor loss = nn::cross_entropy(fc(bag(ids[batch % ids.size()])), labels[batch % ids.size()]);
    loss.backward();
    optimizer.step();
    optimizer.zero_grad();
    return loss;
  }
};

// SGD without momentum: lazy and dense give the same result (a zero gradient moves nothing).
void BM_ToyStepSGD(benchmark::State& state) {
  ToyRun run;
  optim::SGD sgd(run.parameters(), {.lr = kSgdLr});
  size_t batch = 0;
  run.step(sgd, batch++);  // warm-up: allocates gradients and optimiser state
  for (auto _ : state)
    benchmark::DoNotOptimize(run.step(sgd, batch++).impl());
}
BENCHMARK(BM_ToyStepSGD)->Unit(benchmark::kMicrosecond);

// Adam with torch.optim.Adam's dense semantics: every row's moments decay every step.
void BM_ToyStepAdam(benchmark::State& state) {
  ToyRun run;
  optim::Adam adam(run.parameters(), {.lr = kAdamLr, .lazy = false});
  size_t batch = 0;
  run.step(adam, batch++);  // warm-up: allocates gradients and optimiser state
  for (auto _ : state)
    benchmark::DoNotOptimize(run.step(adam, batch++).impl());
}
BENCHMARK(BM_ToyStepAdam)->Unit(benchmark::kMicrosecond);

// Adam with SparseAdam's lazy semantics: only the rows the batch used are updated.
void BM_ToyStepAdamLazy(benchmark::State& state) {
  ToyRun run;
  optim::Adam adam(run.parameters(), {.lr = kAdamLr, .lazy = true});
  size_t batch = 0;
  run.step(adam, batch++);  // warm-up: allocates gradients and optimiser state
  for (auto _ : state)
    benchmark::DoNotOptimize(run.step(adam, batch++).impl());
}
BENCHMARK(BM_ToyStepAdamLazy)->Unit(benchmark::kMicrosecond);

// The pooling alone, as in inference (no graph): (64, 16) random ids into a (V, 128) table,
// pooled by mode 0 = sum, 1 = mean, 2 = max. One benchmark per mode, so a change to one mode's
// loop shows in its own row; V = 100,000 (51 MB) does not fit in the 32 MB L3.
void BM_EmbeddingBagForward(benchmark::State& state) {
  const auto mode = static_cast<BagMode>(state.range(0));
  const int64_t V = state.range(1);
  Generator generator(6);
  nn::EmbeddingBag bag(V, kDim, {.mode = mode}, generator);
  std::vector<Tensor> batches;
  for (int64_t b = 0; b < kIdBatches; ++b)
    batches.push_back(randint(0, V, {kToyBatch, kToyBagSize}, generator));
  NoGradGuard no_grad;
  size_t next = 0;
  for (auto _ : state) {
    Tensor pooled = bag(batches[next++ % batches.size()]);
    benchmark::DoNotOptimize(pooled.data().data());
  }
  state.SetItemsProcessed(state.iterations() * kToyBatch * kToyBagSize);  // ids per second
}
BENCHMARK(BM_EmbeddingBagForward)
    ->ArgNames({"mode", "V"})
    ->ArgsProduct({{0, 1, 2}, {10'000, 100'000}})
    ->Unit(benchmark::kMicrosecond);

// ---- 6. Matrix multiply ----

// C = A . B for square (n, n) matrices: 2 n^3 floating-point operations.
void BM_Matmul(benchmark::State& state) {
  const int64_t n = state.range(0);
  Generator generator(2);
  const Tensor a = randn({n, n}, generator);
  const Tensor b = randn({n, n}, generator);
  for (auto _ : state) {
    Tensor c = matmul(a, b);
    benchmark::DoNotOptimize(c.data().data());
  }
  // A rate: FLOP per iteration over the time, printed with an SI prefix ("25G/s" = 25 GFLOP/s).
  state.counters["FLOP/s"] = benchmark::Counter(2.0 * static_cast<double>(n * n * n),
                                                benchmark::Counter::kIsIterationInvariantRate,
                                                benchmark::Counter::kIs1000);
}
BENCHMARK(BM_Matmul)->RangeMultiplier(2)->Range(64, 1024)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
