// Threads and lifetimes (docs/threads_and_lifetimes.md): the default
// generator shared by threads, autograd in several threads at once, and objects that keep a
// reference to another (a scheduler to its optimiser, Dropout to its generator) noticing that
// the other is gone. Cases that start threads carry [threads], which CTest labels `threads`
// and the tsan preset runs under ThreadSanitizer.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "embedlab.h"
#include "reliability/reliability_test_utils.h"

using namespace embedlab;
using embedlab::test::MessageHas;

namespace {
constexpr int kThreads = 4;

// Runs body(t) on kThreads threads at once and waits for them all.
template <typename Body>
void run_threads(Body body) {
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&body, t] { body(t); });
  for (std::thread& thread : threads)
    thread.join();
}
}  // namespace

TEST_CASE("threads drawing from the default generator share one sequence without losing a draw",
          "[catalogue][threads][random]") {
  // Every draw is taken under the lock, so the threads together take exactly the first
  // kThreads x 500 numbers of the seed's sequence, each once: sorted, they equal a single
  // thread's draws from Generator(123).
  constexpr int kDraws = 500;
  manual_seed(123);
  std::vector<std::vector<uint64_t>> drawn(kThreads);
  run_threads([&](int t) {
    for (int i = 0; i < kDraws; ++i)
      drawn[t].push_back(default_generator().next_u64());
  });
  std::vector<uint64_t> all;
  for (const auto& part : drawn)
    all.insert(all.end(), part.begin(), part.end());
  Generator reference(123);
  std::vector<uint64_t> expected;
  for (int i = 0; i < kThreads * kDraws; ++i)
    expected.push_back(reference.next_u64());
  std::sort(all.begin(), all.end());
  std::sort(expected.begin(), expected.end());
  REQUIRE(all == expected);
}

TEST_CASE("threads building layers with the default generator get every normal draw whole",
          "[catalogue][threads][random]") {
  // randn takes its two uniforms under one lock, so no Box-Muller pair is split between
  // threads: the threads' weights, sorted, are the first 4 x 3 x 8 normals of seed 9.
  manual_seed(9);
  std::vector<std::vector<float>> weights(kThreads);
  run_threads([&](int t) {
    nn::Embedding layer(3, 8);
    weights[t].assign(layer.weight.data().begin(), layer.weight.data().end());
  });
  std::vector<float> all;
  for (const auto& part : weights)
    all.insert(all.end(), part.begin(), part.end());
  Generator reference(9);
  std::vector<float> expected;
  for (int i = 0; i < kThreads * 3 * 8; ++i)
    expected.push_back(reference.normal());
  std::sort(all.begin(), all.end());
  std::sort(expected.begin(), expected.end());
  REQUIRE(all == expected);
}

TEST_CASE("a generator per thread gives each thread the same numbers as a run on one thread",
          "[catalogue][threads][random]") {
  std::vector<std::vector<float>> threaded(kThreads);
  run_threads([&](int t) {
    Generator own(100 + t);
    Tensor x = rand({4, 5}, own);
    threaded[t].assign(x.data().begin(), x.data().end());
  });
  for (int t = 0; t < kThreads; ++t) {
    Generator again(100 + t);
    Tensor x = rand({4, 5}, again);
    REQUIRE(threaded[t] == std::vector<float>(x.data().begin(), x.data().end()));
  }
}

TEST_CASE("separate graphs train in separate threads, and NoGradGuard stays in its thread",
          "[catalogue][threads][autograd]") {
  // Thread t minimises sum((w - t)^2) from w = 0 with SGD(lr = 0.25): each step halves the
  // distance to t, so after 10 steps w = t * (1 - 0.5^10). Odd threads also hold a NoGradGuard
  // around a side computation, which must not switch off grad in the other threads.
  std::vector<float> result(kThreads, -1.0f);
  // Not std::vector<bool>: its elements share bytes, so writes from two threads race (as
  // ThreadSanitizer pointed out).
  std::vector<char> grad_on_after(kThreads, 0);
  run_threads([&](int t) {
    Tensor w = zeros({3}).requires_grad_();
    optim::SGD sgd({w}, {.lr = 0.25});
    for (int step = 0; step < 10; ++step) {
      if (t % 2 == 1) {
        NoGradGuard no_grad;
        (void)sum(w * 3.0f);
      }
      Tensor loss = sum(pow(w - static_cast<float>(t), 2.0f));
      loss.backward();
      sgd.step();
      sgd.zero_grad();
    }
    result[t] = w.data()[1];
    grad_on_after[t] = grad_enabled() ? 1 : 0;
  });
  for (int t = 0; t < kThreads; ++t) {
    REQUIRE(result[t] == Approx(t * (1.0 - std::pow(0.5, 10))).margin(1e-6));
    REQUIRE(grad_on_after[t] == 1);
  }
}

TEST_CASE("a graph kept with retain_graph is walked whole by backward in thread after thread",
          "[threads][autograd]") {
  // backward marks each node it reaches with the number of its walk; two walks, even from two
  // fresh threads, must never share a number, or the second would take the graph as seen and
  // stop at the root. y = sum(x * x + x): each backward adds 2x + 1 = (3, -3, 7).
  Tensor x = tensor({1.0f, -2.0f, 3.0f}).requires_grad_();
  Tensor y = (x * x + x).sum();
  for (int walk = 0; walk < 3; ++walk) {
    std::thread thread([&y] { y.backward(Tensor(), /*retain_graph=*/true); });
    thread.join();
  }
  y.backward();
  REQUIRE(x.grad().at(0) == Approx(4 * 3.0f));
  REQUIRE(x.grad().at(1) == Approx(4 * -3.0f));
  REQUIRE(x.grad().at(2) == Approx(4 * 7.0f));
}

TEST_CASE("a scheduler that outlives its optimiser says so instead of reading freed memory",
          "[catalogue][lifetime][optim]") {
  Tensor w = ones({2}).requires_grad_();
  std::optional<optim::StepLR> schedule;
  {
    optim::SGD sgd({w}, {.lr = 0.1});
    schedule.emplace(sgd, 1, 0.5);
    schedule->step();
    REQUIRE(sgd.lr() == Approx(0.05));
  }
  REQUIRE_THROWS_MATCHES(schedule->step(), ValueError,
                         MessageHas({"StepLR", "optimiser was destroyed", "must not outlive"}));
  REQUIRE(schedule->last_epoch() == 2);  // the epoch counter moved, nothing else was touched
}

TEST_CASE("a scheduler follows the optimiser it was given, not a copy made later",
          "[catalogue][lifetime][optim]") {
  Tensor w = ones({2}).requires_grad_();
  auto sgd = std::make_unique<optim::SGD>(std::vector<Tensor>{w}, optim::SGDOptions{.lr = 1.0});
  optim::LinearDecayLR schedule(*sgd, 4, 0.0);
  optim::SGD copy = *sgd;  // another object with a lifetime of its own
  schedule.step();
  REQUIRE(sgd->lr() == Approx(0.75));
  REQUIRE(copy.lr() == Approx(1.0));
  sgd.reset();  // destroying the original ends the schedule even though the copy lives
  REQUIRE_THROWS_MATCHES(schedule.step(), ValueError, MessageHas({"LinearDecayLR", "destroyed"}));
}

TEST_CASE("Dropout whose generator was destroyed refuses to draw from it",
          "[catalogue][lifetime][nn]") {
  auto generator = std::make_unique<Generator>(3);
  nn::Dropout drop(0.5f, *generator);
  REQUIRE(drop(ones({4})).numel() == 4);
  generator.reset();
  REQUIRE_THROWS_MATCHES(drop(ones({4})), ValueError,
                         MessageHas({"Dropout", "generator", "destroyed", "outlive"}));
  drop.eval();  // even in eval mode, where no number would be drawn: the layer is broken
  REQUIRE_THROWS_AS(drop(ones({4})), ValueError);
}

TEST_CASE("a copy of the default generator is a private one at the same point",
          "[catalogue][lifetime][random]") {
  REQUIRE(default_generator().is_thread_safe());
  manual_seed(5);
  Generator copy = default_generator();
  REQUIRE_FALSE(copy.is_thread_safe());
  REQUIRE(copy.next_u64() == default_generator().next_u64());
  Generator assigned(1);
  assigned = copy;
  REQUIRE(assigned.next_u64() == copy.next_u64());
}
