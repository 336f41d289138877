// embedding_step_profile: where the time of one embedding training step goes, phase by phase.
//
// The step of BM_EmbeddingStep (4096 random ids into a (V, 128) table; lookup, sum, backward,
// SGD step, zero_grad) as a plain loop, timing each phase. docs/performance.md uses it to show
// why the step grows with V although its work does not:
//
//   ./build/release/bench/embedding_step_profile 10000        # table of 5 MB, in cache
//   ./build/release/bench/embedding_step_profile 1000000      # table of 512 MB
//
// and, for instruction and cache-miss counts of the steps alone (valgrind cannot run AVX-512
// code, so build this one without -march=native, e.g. -march=x86-64-v3):
//
//   valgrind --tool=callgrind --cache-sim=yes --collect-atstart=no
//            --toggle-collect='*run_steps*' ./embedding_step_profile 1000000 20   (one line)
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "autograd/ops.h"
#include "bench/bench_workloads.h"
#include "nn/embedding.h"
#include "optim/sgd.h"
#include "tensor/creation.h"
#include "tensor/random.h"

namespace {

using namespace embedlab;
using namespace embedlab::bench;
using Clock = std::chrono::steady_clock;

// Microseconds spent in each phase, summed over the steps.
struct PhaseTimes {
  double forward = 0, sum = 0, backward = 0, step = 0, zero_grad = 0;
};

double microseconds(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::micro>(to - from).count();
}

// One training step on `ids`; adds the time of each phase to `times`.
void timed_step(nn::Embedding& embed, optim::SGD& sgd, const Tensor& ids, PhaseTimes& times) {
  const auto t0 = Clock::now();
  const Tensor rows = embed(ids);
  const auto t1 = Clock::now();
  const Tensor loss = rows.sum();
  const auto t2 = Clock::now();
  loss.backward();
  const auto t3 = Clock::now();
  sgd.step();
  const auto t4 = Clock::now();
  sgd.zero_grad();
  const auto t5 = Clock::now();
  times.forward += microseconds(t0, t1);
  times.sum += microseconds(t1, t2);
  times.backward += microseconds(t2, t3);
  times.step += microseconds(t3, t4);
  times.zero_grad += microseconds(t4, t5);
}

// Runs `steps` steps, cycling through the batches. Not inlined, so that callgrind can count
// exactly these instructions (--toggle-collect), without the warm-up step.
[[gnu::noinline]] void run_steps(nn::Embedding& embed, optim::SGD& sgd,
                                 const std::vector<Tensor>& batches, int64_t steps,
                                 PhaseTimes& times) {
  for (int64_t s = 0; s < steps; ++s)
    timed_step(embed, sgd, batches[static_cast<size_t>(s) % batches.size()], times);
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t V = argc > 1 ? std::stoll(argv[1]) : 1'000'000;
  const int64_t steps = argc > 2 ? std::stoll(argv[2]) : 500;
  Generator generator(4);
  // The values do not matter for speed; full() is much faster to make than randn().
  auto embed = nn::Embedding::from_pretrained(full({V, kDim}, 0.01f), /*freeze=*/false);
  optim::SGD sgd(embed->parameters(), {.lr = kSgdLr});
  std::vector<Tensor> batches;
  for (int64_t b = 0; b < kIdBatches; ++b)
    batches.push_back(randint(0, V, {kLookups}, generator));
  PhaseTimes warm_up;
  timed_step(*embed, sgd, batches[0], warm_up);  // allocates the (V, D) gradient buffer once
  PhaseTimes times;
  run_steps(*embed, sgd, batches, steps, times);
  const double n = static_cast<double>(steps);
  std::printf("V=%lld, %lld steps, microseconds per step:\n", static_cast<long long>(V),
              static_cast<long long>(steps));
  std::printf("forward %.0f  sum %.0f  backward %.0f  step %.0f  zero_grad %.0f  total %.0f\n",
              times.forward / n, times.sum / n, times.backward / n, times.step / n,
              times.zero_grad / n,
              (times.forward + times.sum + times.backward + times.step + times.zero_grad) / n);
  return 0;
}
