// memory_limits: what this machine's memory allows a step that reads random rows of a big table,
// to hold the embedding step against (docs/performance.md, "Where targets are missed").
//
// On a 512 MB table of (1,000,000, 128) floats, backed once by 4 KB pages and once by 2 MB pages
// (FloatBuffer, tensor/huge_page_allocator.h), it measures
//   1. latency: one dependent load after another to random cache lines (a pointer chase), the
//      cost of a row when nothing overlaps;
//   2. gather: copying 4,096 random rows of 512 bytes, as the embedding lookup does, with no
//      prefetch and with a prefetch 8 and 16 rows ahead (the memory-level parallelism a loop
//      can get), in ns per row;
//   3. update: adding a row into 4,096 random rows in place (read and write), as the SGD step
//      does, prefetched 8 rows ahead;
//   4. sequential read bandwidth over the whole table.
// Each figure is the best of `repeats` runs in processor time (the machine is shared: processor
// time leaves out waiting for a core, and the best run is the one least disturbed). Usage:
// ./build/release/bench/memory_limits [repeats (default 7)]
#include <time.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "tensor/huge_page_allocator.h"

namespace {

constexpr int64_t kRows = 1'000'000, kDim = 128, kLookups = 4096;
constexpr int64_t kLineFloats = 16;  // 64-byte cache lines

// Processor time of this thread in ns: leaves out the time the thread waited for a core.
double cpu_ns() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e9 + static_cast<double>(now.tv_nsec);
}

double best_ns(int repeats, const std::function<void()>& run) {
  double best = 1e300;
  for (int r = 0; r < repeats; ++r) {
    const double t0 = cpu_ns();
    run();
    best = std::min(best, cpu_ns() - t0);
  }
  return best;
}

// The kB of this process backed by transparent huge pages (AnonHugePages in smaps_rollup).
long huge_page_kb() {
  std::ifstream smaps("/proc/self/smaps_rollup");
  std::string line;
  while (std::getline(smaps, line)) {
    if (line.rfind("AnonHugePages:", 0) == 0) return std::stol(line.substr(14));
  }
  return -1;
}

template <typename Table>
void measure(const char* name, Table& table, int repeats) {
  float* base = table.data();
  std::mt19937_64 random(7);
  volatile float sink = 0;

  // 1. Pointer chase: a random cycle through 1,000,000 lines, one per row (line 0 of each).
  std::vector<int64_t> order(kRows);
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), random);
  auto* links = reinterpret_cast<int64_t*>(base);  // the first 8 bytes of a row hold the next row
  for (int64_t i = 0; i < kRows; ++i)
    links[order[i] * (kDim / 2)] = order[(i + 1) % kRows];
  constexpr int64_t kChase = 200'000;
  const double chase = best_ns(repeats, [&] {
    int64_t row = order[0];
    for (int64_t i = 0; i < kChase; ++i)
      row = links[row * (kDim / 2)];
    sink = static_cast<float>(row);
  });

  // 2. Gather 4,096 random rows into an output, prefetching `ahead` rows ahead (0: none).
  std::uniform_int_distribution<int64_t> pick(0, kRows - 1);
  std::vector<std::vector<int64_t>> batches(16, std::vector<int64_t>(kLookups));
  for (auto& batch : batches)
    for (int64_t& id : batch)
      id = pick(random);
  std::vector<float> out(kLookups * kDim);
  size_t next = 0;
  const auto gather = [&](int64_t ahead) {
    return best_ns(repeats,
                   [&] {
                     const std::vector<int64_t>& ids = batches[next++ % batches.size()];
                     for (int64_t i = 0; i < kLookups; ++i) {
                       if (ahead > 0 && i + ahead < kLookups) {
                         for (int64_t c = 0; c < kDim; c += kLineFloats)
                           __builtin_prefetch(base + ids[i + ahead] * kDim + c);
                       }
                       std::copy_n(base + ids[i] * kDim, kDim, out.data() + i * kDim);
                     }
                   }) /
           kLookups;
  };
  const double gather0 = gather(0), gather8 = gather(8), gather16 = gather(16);

  // 3. Update 4,096 random rows in place (row += 0.5 * out row), prefetched 8 ahead.
  const double update = best_ns(repeats,
                                [&] {
                                  const std::vector<int64_t>& ids =
                                      batches[next++ % batches.size()];
                                  for (int64_t i = 0; i < kLookups; ++i) {
                                    if (i + 8 < kLookups) {
                                      for (int64_t c = 0; c < kDim; c += kLineFloats)
                                        __builtin_prefetch(base + ids[i + 8] * kDim + c, 1);
                                    }
                                    float* row = base + ids[i] * kDim;
                                    const float* add = out.data() + i * kDim;
                                    for (int64_t c = 0; c < kDim; ++c)
                                      row[c] += 0.5f * add[c];
                                  }
                                }) /
                        kLookups;

  // 4. Sequential read of the whole table.
  const double sequential = best_ns(std::min(repeats, 3), [&] {
    float total = 0;
    for (int64_t i = 0; i < kRows * kDim; i += kLineFloats)
      total += base[i];
    sink = total;
  });
  const double gbps = static_cast<double>(kRows * kDim * 4) / sequential;

  std::printf("%-22s | %6.1f | %6.1f | %6.1f | %6.1f | %6.1f | %5.1f | %ld MB\n", name,
              chase / kChase, gather0, gather8, gather16, update, gbps, huge_page_kb() / 1024);
}

}  // namespace

int main(int argc, char** argv) {
  const int repeats = argc > 1 ? std::max(1, std::atoi(argv[1])) : 7;
  std::printf("table (%lld, %lld) floats = %lld MB; best of %d runs; ns per access or row\n",
              static_cast<long long>(kRows), static_cast<long long>(kDim),
              static_cast<long long>(kRows * kDim * 4 >> 20), repeats);
  std::printf("%-22s | %6s | %6s | %6s | %6s | %6s | %5s | %s\n", "pages", "chase", "gather",
              "+pf 8", "+pf 16", "update", "GB/s", "THP in process");
  {
    // Transparent huge pages in `madvise` mode: memory nobody marked keeps 4 KB pages.
    std::vector<float> small_pages(static_cast<size_t>(kRows * kDim));
    measure("4 KB (std::vector)", small_pages, repeats);
  }
  {
    embedlab::FloatBuffer huge_pages(static_cast<size_t>(kRows * kDim));
    measure("2 MB (FloatBuffer)", huge_pages, repeats);
  }
  return 0;
}
