// bench_core: the speed of embedlab's core. Memory-bound ops report GB/s, matmul GFLOP/s, and
// the one-element benchmarks show the fixed cost of an op: allocation, recording and backward.
//
// Run it from a Release build (the debug build is -O0 and says nothing about speed):
//   cmake --preset release && cmake --build --preset release --target bench_core &&
//   ./build/release/bench/bench_core --benchmark_min_time=0.2
// Add --benchmark_repetitions=5 --benchmark_report_aggregates_only=true for medians.
//
// Left out: multi-threading (embedlab is single-threaded by design). The comparison with
// libtorch lives in bench_embedlab.cpp and bench_torch.cpp (see docs/performance.md).
#include <benchmark/benchmark.h>

#include <cstdint>

#include "embedlab.h"

namespace {

using embedlab::Generator;
using embedlab::Tensor;

// c = a + b on 1e6 floats: reads 2 x 4 MB and writes 4 MB, so it measures memory bandwidth
// (plus the allocation of the result).
void BM_ElementwiseAdd(benchmark::State& state) {
  const int64_t n = 1'000'000;
  Generator generator(1);
  const Tensor a = embedlab::randn({n}, generator);
  const Tensor b = embedlab::randn({n}, generator);
  for (auto _ : state) {
    Tensor c = a + b;
    benchmark::DoNotOptimize(c.data().data());
  }
  state.SetBytesProcessed(state.iterations() * 3 * n * static_cast<int64_t>(sizeof(float)));
}
BENCHMARK(BM_ElementwiseAdd);

// C = A . B for square (n, n) matrices: 2 n^3 floating-point operations.
void BM_Matmul(benchmark::State& state) {
  const int64_t n = state.range(0);
  Generator generator(2);
  const Tensor a = embedlab::randn({n, n}, generator);
  const Tensor b = embedlab::randn({n, n}, generator);
  for (auto _ : state) {
    Tensor c = embedlab::matmul(a, b);
    benchmark::DoNotOptimize(c.data().data());
  }
  // A rate counter: FLOP per iteration, divided by the time; printed with an SI prefix, so
  // "FLOP/s=25G/s" reads 25 GFLOP/s.
  state.counters["FLOP/s"] = benchmark::Counter(2.0 * static_cast<double>(n * n * n),
                                                benchmark::Counter::kIsIterationInvariantRate,
                                                benchmark::Counter::kIs1000);
}
BENCHMARK(BM_Matmul)->Arg(64)->Arg(128)->Arg(256)->Arg(512)->Arg(1024)->Unit(
    benchmark::kMicrosecond);

// The embedding lookup: 4096 random rows of a (10000, 128) table; reports GB/s of output.
void BM_IndexSelect(benchmark::State& state) {
  const int64_t V = 10'000, D = 128, N = 4096;
  Generator generator(3);
  const Tensor table = embedlab::randn({V, D}, generator);
  const Tensor ids = embedlab::randint(0, V, {N}, generator);
  for (auto _ : state) {
    Tensor rows = embedlab::index_select(table, 0, ids);
    benchmark::DoNotOptimize(rows.data().data());
  }
  state.SetBytesProcessed(state.iterations() * N * D * static_cast<int64_t>(sizeof(float)));
}
BENCHMARK(BM_IndexSelect);

// a + b on one-element tensors that require grad: the fixed cost of one recorded op
// (allocating the output, making and freeing its graph node).
void BM_RecordedAddOneElement(benchmark::State& state) {
  Tensor a = embedlab::tensor({1.0f}).requires_grad_();
  Tensor b = embedlab::tensor({2.0f}).requires_grad_();
  for (auto _ : state) {
    Tensor c = a + b;
    benchmark::DoNotOptimize(c.impl());
  }
}
BENCHMARK(BM_RecordedAddOneElement);

// The same add under NoGradGuard: the difference to the one above is the cost of recording.
void BM_UnrecordedAddOneElement(benchmark::State& state) {
  Tensor a = embedlab::tensor({1.0f}).requires_grad_();
  Tensor b = embedlab::tensor({2.0f}).requires_grad_();
  embedlab::NoGradGuard no_grad;
  for (auto _ : state) {
    Tensor c = a + b;
    benchmark::DoNotOptimize(c.impl());
  }
}
BENCHMARK(BM_UnrecordedAddOneElement);

// (a * b + a).sum().backward() on one-element tensors: three recorded ops and a backward
// through a graph that uses `a` twice; the per-step overhead of a tiny model.
void BM_MulAddSumBackward(benchmark::State& state) {
  Tensor a = embedlab::tensor({1.0f}).requires_grad_();
  Tensor b = embedlab::tensor({2.0f}).requires_grad_();
  for (auto _ : state) {
    (a * b + a).sum().backward();
    benchmark::DoNotOptimize(a.grad().impl());
  }
}
BENCHMARK(BM_MulAddSumBackward);

}  // namespace

BENCHMARK_MAIN();
