/// @file bench_workloads.h
/// @brief The sizes shared by bench_embedlab.cpp and bench_torch.cpp, so that both programs
/// run the same workloads under the same benchmark names and scripts/bench_compare.py can
/// line them up.
///
/// Plain constants only: this header is included by the libtorch program too, which does not
/// link embedlab.
#pragma once

#include <cstdint>

namespace embedlab::bench {

/// Embedding width D of every embedding workload.
inline constexpr int64_t kDim = 128;
/// Ids looked up per embedding forward / step (N).
inline constexpr int64_t kLookups = 4096;
/// Batches of random ids cycled through, so that large tables are not cache-resident: 32
/// batches of 4096 rows touch 64 MB of table and gradient, twice the 32 MB L3.
inline constexpr int64_t kIdBatches = 32;

/// Tiny MLP: Linear(2, 16) -> tanh -> Linear(16, 1), batch 8, MSE, SGD.
inline constexpr int64_t kMlpIn = 2, kMlpHidden = 16, kMlpOut = 1, kMlpBatch = 8;

/// Toy text classifier: EmbeddingBag(10000, 128, mean) over (64, 16) ids -> Linear(128, 2).
inline constexpr int64_t kToyVocab = 10'000, kToyBatch = 64, kToyBagSize = 16, kToyClasses = 2;

/// Learning rates used by every step benchmark (their values do not change the speed).
inline constexpr double kSgdLr = 0.1, kAdamLr = 1e-3;

}  // namespace embedlab::bench
