/// @file op_checks.h
/// @brief Argument checks shared by the fused word2vec ops and their composed versions
/// (internal to word2vec/).
#pragma once

#include <span>

#include <fmt/format.h>

#include "autograd/op_helpers.h"
#include "autograd/ops.h"
#include "tensor/error.h"
#include "tensor/tensor.h"

namespace embedlab::word2vec::detail {

/// Checks the two (V, D) tables and the (N, 1 + K) targets of a word2vec loss `op`.
/// @param op the op's name, which starts every message
/// @param w_in the input table
/// @param w_out the output table
/// @param targets the output ids
/// @param num_examples N, the number of examples the other ids describe
/// @throws TypeError, ShapeError or IndexError naming the argument and its shape or value.
inline void check_tables_and_targets(const char* op, const Tensor& w_in, const Tensor& w_out,
                                     const Tensor& targets, int64_t num_examples) {
  embedlab::detail::check_float(w_in, op, "w_in");
  embedlab::detail::check_float(w_out, op, "w_out");
  embedlab::detail::check_ids(targets, op, "targets");
  if (w_in.rank() != 2 || w_out.shape() != w_in.shape()) {
    throw ShapeError(
        fmt::format("{}: w_in and w_out must be (V, D) tables of one shape, got {} "
                    "and {}",
                    op, w_in.shape().to_string(), w_out.shape().to_string()));
  }
  if (targets.rank() != 2 || targets.size(0) != num_examples || targets.size(1) < 1) {
    throw ShapeError(
        fmt::format("{}: targets must be (N, 1 + K) with N = {} examples, got shape {}", op,
                    num_examples, targets.shape().to_string()));
  }
  check_ids_in_range(targets.ids(), w_out.size(0), op);
}

/// Checks the context bags of `cbow_loss`: contexts (M) and offsets (N) are int64 vectors,
/// the ids lie in [0, V), and the offsets start at 0 and rise strictly below M (no empty bag).
/// @param contexts the flat context ids
/// @param offsets the start of each bag
/// @param V the number of rows of the input table
/// @throws TypeError, ShapeError, IndexError or ValueError naming the problem.
inline void check_bags(const Tensor& contexts, const Tensor& offsets, int64_t V) {
  embedlab::detail::check_ids(contexts, "cbow_loss", "contexts");
  embedlab::detail::check_ids(offsets, "cbow_loss", "offsets");
  if (contexts.rank() != 1 || offsets.rank() != 1) {
    throw ShapeError(
        fmt::format("cbow_loss: contexts and offsets must be vectors, got shapes {} "
                    "and {}",
                    contexts.shape().to_string(), offsets.shape().to_string()));
  }
  check_ids_in_range(contexts.ids(), V, "cbow_loss");
  std::span<const int64_t> starts = offsets.ids();
  const int64_t M = contexts.numel();
  for (size_t i = 0; i < starts.size(); ++i) {
    const int64_t end = i + 1 < starts.size() ? starts[i + 1] : M;
    if ((i == 0 && starts[0] != 0) || starts[i] >= end) {
      throw ValueError(
          fmt::format("cbow_loss: offsets must start at 0 and rise strictly below "
                      "{} (no empty bag); offset {} is {}, the bag ends at {}",
                      M, i, starts[i], end));
    }
  }
}

/// Checks that the input ids of `sgns_loss` are an (N) int64 vector (their range is checked
/// once the table is known to be a matrix).
/// @param centers the input word ids
/// @throws TypeError or ShapeError naming the problem.
inline void check_centers(const Tensor& centers) {
  embedlab::detail::check_ids(centers, "sgns_loss", "centers");
  if (centers.rank() != 1) {
    throw ShapeError(fmt::format("sgns_loss: centers must be an (N) vector of ids, got shape {}",
                                 centers.shape().to_string()));
  }
}

}  // namespace embedlab::word2vec::detail
