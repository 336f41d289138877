// Chapter 6 — 向量化 (vectorisation): one operation on many numbers at once.
//
// The one idea: the same sum of products can be computed three ways.
//   1. A loop through the framework, one element at a time: every a[i] * b[i] and every + is
//      its own op, with a new tensor and a graph node each (the per-op overhead, paid N times).
//   2. The framework's op on the whole tensor: (a * b).sum() records two ops and runs two
//      tight loops inside, so the overhead is paid once.
//   3. A plain C++ loop over the floats, no framework at all: the floor for one loop.
// The first two give the same numbers forward and backward. Between 2 and 3 the difference is
// how the loop is written: a single running sum makes every add wait for the one before, while
// the framework's sum keeps eight running sums, which the compiler turns into SIMD instructions
// that add several floats at once (the plain loop is timed both ways).
//
// Numbers: a[i] = (i mod 7) - 3 and b[i] = (i mod 5) - 2 are small whole numbers, so every
// product and sum is exact in float32 and all ways give bit-identical results. Lines starting
// with ⏱ carry measured times: they differ from run to run and machine to machine.
//
// Run: ch06_vectorisation [--n 2000] [--big-n 1000000] [--repeats 5]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <vector>

#include <fmt/format.h>

#include "chapter.h"
#include "embedlab.h"

using namespace embedlab;

namespace {

using Clock = std::chrono::steady_clock;

// The median time of `repeats` runs of `work`, in nanoseconds.
double median_ns(int64_t repeats, const std::function<void()>& work) {
  std::vector<double> times;
  for (int64_t r = 0; r < repeats; ++r) {
    const auto start = Clock::now();
    work();
    times.push_back(std::chrono::duration<double, std::nano>(Clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

// The plain C++ dot product as a learner first writes it: one running sum.
float plain_dot(const std::vector<float>& a, const std::vector<float>& b) {
  float total = 0.0f;
  for (size_t i = 0; i < a.size(); ++i)
    total += a[i] * b[i];
  return total;
}

// The same with eight running sums: the adds no longer wait on each other, so the compiler can
// keep the eight sums in one vector register and do eight multiply-adds per instruction.
float plain_dot_eight_sums(const std::vector<float>& a, const std::vector<float>& b) {
  float partial[8] = {};
  size_t i = 0;
  for (; i + 8 <= a.size(); i += 8) {
    for (size_t lane = 0; lane < 8; ++lane)
      partial[lane] += a[i + lane] * b[i + lane];
  }
  float total = 0.0f;
  for (; i < a.size(); ++i)
    total += a[i] * b[i];
  for (const float p : partial)
    total += p;
  return total;
}

std::vector<float> pattern(int64_t n, int period) {
  std::vector<float> values(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i)
    values[i] = static_cast<float>(i % period - period / 2);
  return values;
}

}  // namespace

int main(int argc, char** argv) try {
  tutorial::Chapter chapter({6, "向量化", "vectorisation"},
                            "One op on a whole tensor pays the framework's overhead once; a loop "
                            "over elements pays it per element.");
  int64_t N = 2000, big_n = 1000000, repeats = 5;
  chapter.knob("--n", N, "elements for the per-element loop (its backward costs N x N)");
  chapter.knob("--big-n", big_n, "elements for the whole-tensor op against plain C++ loops");
  chapter.knob("--repeats", repeats, "runs of each timing; the median is printed");
  if (const int code = chapter.parse(argc, argv); code >= 0) return code;
  if (N < 3 || big_n < 1 || repeats < 1) {
    throw ValueError(fmt::format("need --n >= 3, --big-n >= 1 and --repeats >= 1, got {}, {}, {}",
                                 N, big_n, repeats));
  }
  const std::vector<float> a_values = pattern(N, 7), b_values = pattern(N, 5);
  fmt::print("task: dot = sum over i of a[i] x b[i] for N = {} elements, then d dot / d a\n", N);
  fmt::print(
      "a[i] = (i mod 7) - 3, b[i] = (i mod 5) - 2; by hand for the first 3: "
      "{:g} x {:g} + {:g} x {:g} + {:g} x {:g} = {:g}\n\n",
      a_values[0], b_values[0], a_values[1], b_values[1], a_values[2], b_values[2],
      a_values[0] * b_values[0] + a_values[1] * b_values[1] + a_values[2] * b_values[2]);

  // 1. Through the framework, one element at a time: picking a[i], multiplying, adding.
  Tensor a_loop = from_vector(a_values, Shape{N}).requires_grad_();
  const Tensor b_loop = from_vector(b_values, Shape{N});
  const int64_t nodes_before = live_node_count();
  auto start = Clock::now();
  Tensor total = tensor(0.0f);
  for (int64_t i = 0; i < N; ++i)
    total = total + a_loop[i] * b_loop[i];
  const double loop_forward_ns =
      std::chrono::duration<double, std::nano>(Clock::now() - start).count();
  const int64_t loop_nodes = live_node_count() - nodes_before;
  start = Clock::now();
  total.backward();
  const double loop_backward_ns =
      std::chrono::duration<double, std::nano>(Clock::now() - start).count();

  // 2. The framework's op on the whole tensor: one multiply and one sum.
  Tensor a_whole = from_vector(a_values, Shape{N}).requires_grad_();
  const Tensor b_whole = from_vector(b_values, Shape{N});
  const int64_t nodes_between = live_node_count();
  start = Clock::now();
  const Tensor whole = (a_whole * b_whole).sum();
  const double whole_forward_ns =
      std::chrono::duration<double, std::nano>(Clock::now() - start).count();
  const int64_t whole_nodes = live_node_count() - nodes_between;
  start = Clock::now();
  whole.backward();
  const double whole_backward_ns =
      std::chrono::duration<double, std::nano>(Clock::now() - start).count();

  // 3. A plain C++ loop: the dot product and its gradient (d dot / d a[i] = b[i]) by hand.
  const float plain = plain_dot(a_values, b_values);
  const std::vector<float> plain_grad = b_values;

  fmt::print("1. framework, element loop: dot = {:g}, graph nodes recorded: {} ({} per element)\n",
             total.item(), loop_nodes, loop_nodes / N);
  fmt::print("2. framework, whole tensor: dot = {:g}, graph nodes recorded: {} (mul, sum)\n",
             whole.item(), whole_nodes);
  fmt::print(
      "3. plain C++ loop:          dot = {:g}, graph nodes recorded: 0 (no autograd: the "
      "gradient b is written by hand)\n",
      plain);
  const float value_gap =
      std::max(std::abs(total.item() - whole.item()), std::abs(plain - whole.item()));
  float grad_gap = max(abs(a_loop.grad() - a_whole.grad())).item();
  for (int64_t i = 0; i < N; ++i)
    grad_gap = std::max(grad_gap, std::abs(a_whole.grad().at(i) - plain_grad[i]));
  fmt::print("same result: dot difference {:g}, gradient max difference {:g}\n", value_gap,
             grad_gap);
  fmt::print("gradient d dot / d a = b: first values {:g}, {:g}, {:g}\n\n", a_whole.grad().at(0),
             a_whole.grad().at(1), a_whole.grad().at(2));

  // 4. Time per element at N. The loop's backward is worst: each a[i] sends back a gradient
  //    as long as a (N numbers, N - 1 of them zero), about N x N additions where 2 needs N.
  const double n = static_cast<double>(N);
  fmt::print(
      "⏱ N = {}: element loop forward {:.0f} ns per element, backward {:.0f} ns per element\n", N,
      loop_forward_ns / n, loop_backward_ns / n);
  fmt::print(
      "⏱ N = {}: whole tensor forward {:.1f} ns per element, backward {:.1f} ns per element\n", N,
      whole_forward_ns / n, whole_backward_ns / n);
  fmt::print("⏱ speed-up of the whole-tensor op: forward {:.0f}x, backward {:.0f}x\n",
             loop_forward_ns / std::max(whole_forward_ns, 1.0),
             loop_backward_ns / std::max(whole_backward_ns, 1.0));
  fmt::print(
      "⏱ per-op overhead: the element loop spends about {:.0f} ns on each of its {} ops per "
      "element, where the arithmetic itself is one multiply and one add\n\n",
      loop_forward_ns / static_cast<double>(std::max<int64_t>(loop_nodes, 1)), loop_nodes / N);

  // 5. The whole-tensor op against plain C++ loops on a larger N, forward only (the median of
  //    --repeats runs). Here the framework's fixed cost per op is small next to the work.
  const std::vector<float> big_a = pattern(big_n, 7), big_b = pattern(big_n, 5);
  const Tensor big_a_tensor = from_vector(big_a, Shape{big_n});
  const Tensor big_b_tensor = from_vector(big_b, Shape{big_n});
  float sink_op = 0.0f, sink_one = 0.0f, sink_eight = 0.0f;
  const double op_ns = median_ns(repeats, [&] {
    NoGradGuard no_grad;
    sink_op = (big_a_tensor * big_b_tensor).sum().item();
  });
  const double one_ns = median_ns(repeats, [&] { sink_one = plain_dot(big_a, big_b); });
  const double eight_ns =
      median_ns(repeats, [&] { sink_eight = plain_dot_eight_sums(big_a, big_b); });
  fmt::print(
      "N = {}: dot by the whole-tensor op {:g}, by the plain loop {:g}, by the plain loop "
      "with eight sums {:g}\n",
      big_n, sink_op, sink_one, sink_eight);
  const double per = static_cast<double>(big_n);
  fmt::print("⏱ whole-tensor op (a * b).sum():       {:.2f} ns per element\n", op_ns / per);
  fmt::print("⏱ plain C++ loop, one running sum:      {:.2f} ns per element\n", one_ns / per);
  fmt::print("⏱ plain C++ loop, eight running sums:   {:.2f} ns per element\n", eight_ns / per);
  fmt::print("⏱ eight sums against one: {:.1f}x faster; whole-tensor op against one sum: {:.1f}x\n",
             one_ns / std::max(eight_ns, 1.0), one_ns / std::max(op_ns, 1.0));
  fmt::print(
      "why: one running sum makes each add wait for the previous one; eight independent sums let "
      "the compiler use SIMD (one instruction adds several floats), the trick the framework's sum "
      "uses inside. The whole-tensor op also writes a * b to memory before summing it.\n");

  chapter.finish(
      "write maths on whole tensors; a loop over elements pays one op's overhead per element.",
      {fmt::format("{} --n 4000   (the element loop's backward grows as N x N: twice N, about "
                   "four times the time)",
                   chapter.program()),
       fmt::format("{} --big-n 1000   (small tensors: the framework's fixed cost per op shows)",
                   chapter.program()),
       "compare the debug and release builds: without optimisation nothing is vectorised."});
  return 0;
} catch (const std::exception& error) {
  return embedlab::tutorial::Chapter::fail(error);
}
