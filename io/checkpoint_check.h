/// @file checkpoint_check.h
/// @brief Comparing a loaded checkpoint with the arrays a model expects, key by key.
///
/// Like PyTorch's `load_state_dict(strict=...)`, which lists missing and unexpected keys, but
/// also names each shape or dtype mismatch, so "size mismatch for embedding.weight: (10, 4) in
/// the file, (12, 4) expected" tells the learner which vocabulary changed. Left out: loading the
/// values into a Module (the adapter to Module does that after this check passes).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "io/safetensors.h"

namespace embedlab::io {

/// One array a model expects to find in a checkpoint.
struct ExpectedArray {
  std::string name;            ///< The key, such as "embedding.weight".
  std::string dtype;           ///< "F32" or "I64".
  std::vector<int64_t> shape;  ///< The dimensions the model needs.
};

/// What differs between a checkpoint and a model; each line names its key.
struct CheckpointReport {
  std::vector<std::string> missing;     ///< Expected keys absent from the file.
  std::vector<std::string> unexpected;  ///< Keys in the file the model does not have (strict only).
  std::vector<std::string> mismatches;  ///< One sentence per shape or dtype mismatch.

  /// Returns true when nothing differs.
  bool ok() const { return missing.empty() && unexpected.empty() && mismatches.empty(); }

  /// Returns every problem as one text, one problem per line.
  /// @return the text, empty when ok().
  std::string to_string() const;
};

/// Compares a loaded file with the arrays a model expects.
/// @param file the loaded checkpoint.
/// @param expected the arrays the model needs.
/// @param strict when true, keys in the file that the model does not expect are reported too.
/// @return the differences; CheckpointReport::ok() when there are none.
/// @code
///   std::vector<io::ExpectedArray> expected = {{"w", "F32", {3, 2}}};
///   io::CheckpointReport report = io::compare_checkpoint(file, expected, true);
///   // report.mismatches[0] == "\"w\": shape (2, 3) in the file, (3, 2) expected"
/// @endcode
CheckpointReport compare_checkpoint(const SafetensorsFile& file,
                                    std::span<const ExpectedArray> expected, bool strict);

/// Checks a loaded file against the arrays a model expects and throws if anything differs.
/// @param file the loaded checkpoint.
/// @param expected the arrays the model needs.
/// @param strict when true, keys the model does not expect are errors too.
/// @throws ValueError listing every missing key, unexpected key and mismatch.
void check_against(const SafetensorsFile& file, std::span<const ExpectedArray> expected,
                   bool strict);

}  // namespace embedlab::io
