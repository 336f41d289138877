// toy_memory: does a long training run keep a flat memory footprint?
//
// Trains the toy classifier of bench_embedlab (EmbeddingBag(10000, 128, mean) over (64, 16)
// ids -> Linear(128, 2) -> cross_entropy, Adam) for 10,000 steps and prints the resident set
// size (VmRSS) at steps 0, 1000, ..., 10000, then the peak (VmHWM) next to what the run must
// hold: parameters + Adam's two moments + the gradients as stored (the Linear's dense ones, and
// for the table only the compact block of the rows a step used: its (V, D) buffer is never
// allocated, because nothing reads `.grad()`). A leak (graph nodes kept alive, buffers
// allocated per step and never freed) shows up as RSS growing with the step count.
//
//   ./build/release/bench/toy_memory            # 10,000 steps
//   ./build/release/bench/toy_memory 2000       # fewer steps
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "autograd/node.h"
#include "bench/bench_workloads.h"
#include "nn/embedding.h"
#include "nn/linear.h"
#include "nn/loss.h"
#include "optim/adam.h"
#include "tensor/creation.h"
#include "tensor/random.h"

namespace {

using namespace embedlab;
using namespace embedlab::bench;

// Returns a "VmRSS:"-style field of /proc/self/status in MB, or -1 where there is no /proc.
double status_mb(const std::string& field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field, 0) == 0) return std::stod(line.substr(field.size())) / 1024.0;  // kB
  }
  return -1.0;
}

double megabytes(int64_t floats) {
  return static_cast<double>(floats) * sizeof(float) / (1024.0 * 1024.0);
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t steps = argc > 1 ? std::stoll(argv[1]) : 10'000;
  const double baseline = status_mb("VmRSS:");

  Generator generator(5);
  nn::EmbeddingBag bag(kToyVocab, kDim, {}, generator);
  nn::Linear fc(kDim, kToyClasses, true, generator);
  std::vector<Tensor> params = bag.parameters();
  for (const Tensor& p : fc.parameters())
    params.push_back(p);
  optim::Adam adam(params, {.lr = kAdamLr});
  std::vector<Tensor> ids, labels;
  for (int64_t b = 0; b < kIdBatches; ++b) {
    ids.push_back(randint(0, kToyVocab, {kToyBatch, kToyBagSize}, generator));
    labels.push_back(randint(0, kToyClasses, {kToyBatch}, generator));
  }
  int64_t num_params = 0;
  for (const Tensor& p : params)
    num_params += p.numel();

  std::printf("baseline RSS before the model: %.1f MB\n", baseline);
  std::printf("%8s %10s %10s\n", "step", "RSS (MB)", "loss");
  for (int64_t step = 0; step <= steps; ++step) {
    const size_t b = static_cast<size_t>(step) % ids.size();
    Tensor loss = nn::cross_entropy(fc(bag(ids[b])), labels[b]);
    loss.backward();
    adam.step();
    adam.zero_grad();
    if (step % 1000 == 0)
      std::printf("%8lld %10.1f %10.4f\n", static_cast<long long>(step), status_mb("VmRSS:"),
                  loss.item());
  }
  // Parameters and Adam's exp_avg and exp_avg_sq (three floats per weight), and the gradient
  // storage the run holds: dense buffers where allocated, and the capacity of compact blocks.
  int64_t grad_floats = 0;
  for (const Tensor& p : params) {
    const TensorImpl* impl = p.impl();
    if (impl->grad.defined()) grad_floats += p.numel();
    grad_floats += (impl->grad_rows ? static_cast<int64_t>(impl->grad_rows->block.capacity()) : 0);
  }
  const double needed = 3.0 * megabytes(num_params) + megabytes(grad_floats);
  const double peak = status_mb("VmHWM:");
  std::printf(
      "parameters: %lld floats = %.1f MB; + Adam moments + gradients as stored "
      "(%.1f MB, dense would be %.1f) = %.1f MB\n",
      static_cast<long long>(num_params), megabytes(num_params), megabytes(grad_floats),
      megabytes(num_params), needed);
  std::printf("peak RSS (VmHWM): %.1f MB = baseline %.1f + %.1f MB (%.2fx what the run needs)\n",
              peak, baseline, peak - baseline, (peak - baseline) / needed);
  std::printf("graph nodes alive after the run: %lld\n", static_cast<long long>(live_node_count()));
  return 0;
}
