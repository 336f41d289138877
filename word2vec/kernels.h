/// @file kernels.h
/// @brief The inner loops of word2vec (dot product, a*x + y, scoring one example),
/// written so that the compiler turns them into vector instructions.
///
/// Internal to word2vec/ (the ops include it). A float dot product written as one running sum
/// cannot be vectorised without -ffast-math, because that would change the order of the
/// additions; `dot` keeps eight running sums instead, which the compiler maps onto one AVX
/// register (or two SSE registers) of eight lanes. Left out: hand-written intrinsics.
#pragma once

#include <cmath>
#include <cstdint>

#include "autograd/grad_rows.h"

namespace embedlab::word2vec::detail {

/// Returns the dot product of `a` and `b`, two rows of length D.
/// @param a the first row
/// @param b the second row
/// @param D the row length
/// @return sum_c a[c] * b[c], summed in eight interleaved lanes
inline float dot(const float* a, const float* b, int64_t D) {
  constexpr int64_t kLanes = 8;
  float lane[kLanes] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t c = 0;
  for (; c + kLanes <= D; c += kLanes) {
    for (int64_t j = 0; j < kLanes; ++j)
      lane[j] += a[c + j] * b[c + j];
  }
  float total =
      ((lane[0] + lane[4]) + (lane[1] + lane[5])) + ((lane[2] + lane[6]) + (lane[3] + lane[7]));
  for (; c < D; ++c)
    total += a[c] * b[c];
  return total;
}

/// How many examples ahead the loss ops ask for the output rows they will score.
///
/// With a vocabulary of 17,000 words the two (V, 100) tables take 14 MB, more than the L2
/// cache, and an output row drawn as a negative sample is a miss to L3 or memory: 45% of the
/// forward's samples sat on the first load of a row (perf annotate, docs/performance.md).
/// Asking for the S rows of example i + 2 while example i is scored overlaps those misses.
inline constexpr int64_t kExamplesAhead = 2;

/// Hints the CPU to load the S output rows `targets[0..S)` of `w_out` (see kExamplesAhead).
inline void prefetch_targets(const float* w_out, const int64_t* targets, int64_t S, int64_t D) {
  for (int64_t s = 0; s < S; ++s)
    prefetch_row(w_out + targets[s] * D, D);
}

/// Adds `scale * x` to `y`, two rows of length D (BLAS's saxpy).
/// @param scale the factor on x
/// @param x the row added
/// @param y the row that receives it
/// @param D the row length
inline void axpy(float scale, const float* x, float* y, int64_t D) {
  for (int64_t c = 0; c < D; ++c)
    y[c] += scale * x[c];
}

/// Scores one example and returns its loss: input row `u` against the S = 1 + K output rows
/// `targets[0..S)` of `w_out` (label 1 for targets[0], 0 for the rest), writing each logit's
/// error sigmoid(x) - label into `errors` (0 for a negative equal to targets[0], skipped).
///
/// The loss of logit x is softplus(-x) for label 1 and softplus(x) for label 0, with
/// softplus(z) = max(z, 0) + log(1 + e^-|z|): stable for any x, and e = e^-|x| also gives the
/// sigmoid (1 / (1 + e) for x >= 0, e / (1 + e) below). The S logarithms are taken as one,
/// log(prod_s (1 + e_s)) (each factor is in [1, 2], so the product cannot overflow for any
/// sensible K): a logarithm costs as much as the dot product that made x.
/// @param u the input row (D)
/// @param w_out the (V, D) output table
/// @param targets the S output ids of the example
/// @param S 1 + K
/// @param D the row length
/// @param errors receives the S errors
/// @return the example's loss
inline double score_example(const float* u, const float* w_out, const int64_t* targets, int64_t S,
                            int64_t D, float* errors) {
  double hinges = 0.0, product = 1.0;
  for (int64_t s = 0; s < S; ++s) {
    if (s > 0 && targets[s] == targets[0]) {  // a negative that is the positive word
      errors[s] = 0.0f;
      continue;
    }
    const float x = dot(u, w_out + targets[s] * D, D);
    const float e = std::exp(-std::fabs(x));
    const float sigmoid = x >= 0.0f ? 1.0f / (1.0f + e) : e / (1.0f + e);
    const float z = s == 0 ? -x : x;  // label 1: softplus(-x); label 0: softplus(x)
    hinges += std::fmax(z, 0.0f);
    product *= 1.0 + e;
    errors[s] = sigmoid - (s == 0 ? 1.0f : 0.0f);
  }
  return hinges + std::log(product);
}

}  // namespace embedlab::word2vec::detail
