// Chapter 6 — 向量化 (vectorisation): one operation on many numbers at once.
//
// The one idea: the same sum of products can be computed one element at a time (a loop that
// records a few small ops per element, each with its own bookkeeping) or as one operation on
// the whole tensor (one recorded op, one tight loop inside). Both give the same numbers, forward
// and backward; the whole-tensor version is much faster because the per-op overhead is paid
// once instead of N times.
//
// Numbers: a[i] = (i mod 7) - 3 and b[i] = (i mod 5) - 2 are small whole numbers, so every
// product and sum is exact in float32 and both ways give bit-identical results.
//
// Run: ch06_vectorisation [--data DIR] [--out DIR]   (reads and writes nothing)
#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "embedlab.h"

using namespace embedlab;

namespace {

using Clock = std::chrono::steady_clock;

double milliseconds_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

}  // namespace

int main() try {
  const int64_t N = 2000;
  std::vector<float> a_values(N), b_values(N);
  for (int64_t i = 0; i < N; ++i) {
    a_values[i] = static_cast<float>(i % 7 - 3);
    b_values[i] = static_cast<float>(i % 5 - 2);
  }
  fmt::print("task: dot = sum over i of a[i] x b[i] for N = {} elements, then d dot / d a\n", N);
  fmt::print("by hand for the first 3: a = (-3, -2, -1), b = (-2, -1, 0): 6 + 2 + 0 = 8\n\n");

  // 1. One element at a time: picking a[i], multiplying, adding; each a recorded op.
  Tensor a_loop = from_vector(a_values, Shape{N}).requires_grad_();
  const Tensor b_loop = from_vector(b_values, Shape{N});
  const int64_t nodes_before = live_node_count();
  auto start = Clock::now();
  Tensor total = tensor(0.0f);
  for (int64_t i = 0; i < N; ++i)
    total = total + a_loop[i] * b_loop[i];
  const double loop_forward_ms = milliseconds_since(start);
  const int64_t loop_nodes = live_node_count() - nodes_before;
  start = Clock::now();
  total.backward();
  const double loop_backward_ms = milliseconds_since(start);

  // 2. The whole tensor at once: one multiply and one sum.
  Tensor a_whole = from_vector(a_values, Shape{N}).requires_grad_();
  const Tensor b_whole = from_vector(b_values, Shape{N});
  const int64_t nodes_between = live_node_count();
  start = Clock::now();
  const Tensor whole = (a_whole * b_whole).sum();
  const double whole_forward_ms = milliseconds_since(start);
  const int64_t whole_nodes = live_node_count() - nodes_between;
  start = Clock::now();
  whole.backward();
  const double whole_backward_ms = milliseconds_since(start);

  // 3. Same answers?
  fmt::print("element loop: dot = {:g}, graph nodes recorded: {} ({} per element)\n", total.item(),
             loop_nodes, loop_nodes / N);
  fmt::print("whole tensor: dot = {:g}, graph nodes recorded: {} (mul, sum)\n", whole.item(),
             whole_nodes);
  const float value_gap = std::abs(total.item() - whole.item());
  const float grad_gap = max(abs(a_loop.grad() - a_whole.grad())).item();
  fmt::print("same result: dot difference {:g}, gradient max difference {:g}\n", value_gap,
             grad_gap);
  fmt::print("gradient d dot / d a = b: first values {:g}, {:g}, {:g}\n\n", a_whole.grad().at(0),
             a_whole.grad().at(1), a_whole.grad().at(2));

  // 4. How long each took. The times vary between runs and machines; the ratio is the point.
  //    The loop's backward is worst: each a[i] sends back a gradient as long as a (N numbers,
  //    N - 1 of them zero), so it costs about N x N additions where the whole op needs N.
  fmt::print("time, element loop: forward {:.3f} ms, backward {:.3f} ms\n", loop_forward_ms,
             loop_backward_ms);
  fmt::print("time, whole tensor: forward {:.3f} ms, backward {:.3f} ms\n", whole_forward_ms,
             whole_backward_ms);
  fmt::print("speed-up of the whole-tensor op: forward {:.0f}x, backward {:.0f}x\n",
             loop_forward_ms / std::max(whole_forward_ms, 1e-6),
             loop_backward_ms / std::max(whole_backward_ms, 1e-6));
  fmt::print(
      "takeaway: write maths on whole tensors; a loop over elements pays one op's "
      "overhead per element.\n");
  return 0;
} catch (const std::exception& error) {
  fmt::print(stderr, "ch06_vectorisation: {}\n", error.what());
  return 2;
}
