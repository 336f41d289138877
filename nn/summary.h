/// @file summary.h
/// @brief `nn::summary`: a table of a model's layers, output shapes and parameter counts with
/// their arithmetic, in the spirit of Keras' `model.summary()` and torchinfo.
///
/// Each parameter count shows how it is made: an Embedding(10000, 128) row reads
/// `10000 × 128 = 1,280,000`, a Linear(128, 2) row `2 × 128 + 2 = 258` (weight, then bias).
/// Memory is counted as float32, 4 bytes per parameter. A tensor shared by two layers (tied
/// weights) is counted once, where it first appears, as `Module::num_parameters` does.
///
/// What is left out: activation memory, and output shapes of layers that are not direct
/// children of a `Sequential` (their forward is not run on its own).
#pragma once

#include <cstdint>
#include <string>

#include "nn/module.h"

namespace embedlab::nn {

/// Options of `summary`.
struct SummaryOptions {
  /// End with a note estimating the memory training needs: the parameters, a gradient per
  /// trainable parameter and Adam's two moment buffers.
  bool training_note = true;
};

// The example table is wider than a source line: keep clang-format from folding it.
// clang-format off
/// Returns the summary table of `model`, without output shapes (they show as "-").
///
/// One row per module of the tree, parent before children: the dotted name ("(model)" for the
/// model itself), the type with its arguments, the output shape, the module's own parameters
/// with their arithmetic, their memory as float32, and whether they are trainable ("yes",
/// "no" when frozen, "partly"). Then the totals: all, trainable and non-trainable parameters,
/// the parameters' memory, and (see `SummaryOptions`) a training-memory note.
/// @param model the model to describe
/// @param options what to include
/// @return the table, one line per row, ending in a newline
/// @code
/// auto model = std::make_shared<nn::Sequential>();
/// model->push_back(std::make_shared<nn::Embedding>(10000, 128));
/// model->push_back(std::make_shared<nn::Linear>(128, 2));
/// Tensor batch = tensor({4, 8, 15, 16}, DType::Int64);   // optional: fills "Output shape"
/// fmt::print("{}", nn::summary(*model, batch));
/// // Layer    Type                                                Output shape  Parameters               Memory   Trainable
/// // ======================================================================================================================
/// // (model)  Sequential                                          (4, 2)        -                        -        -
/// // 0        Embedding(10000, 128)                               (4, 128)      10000 × 128 = 1,280,000  4.9 MiB  yes
/// // 1        Linear(in_features=128, out_features=2, bias=true)  (4, 2)        2 × 128 + 2 = 258        1.0 KiB  yes
/// // ======================================================================================================================
/// // Total params: 1,280,258
/// // Trainable params: 1,280,258
/// // Non-trainable params: 0
/// // Parameter memory (float32): 5,121,032 bytes (4.9 MiB)
/// // Training with Adam adds gradients (4.9 MiB) and two moment buffers (9.8 MiB): about 19.5 MiB in all, activations not counted.
/// @endcode
std::string summary(const Module& model, const SummaryOptions& options = {});
// clang-format on

/// Returns the summary table of `model` with output shapes, found by running `example_input`
/// through it once.
///
/// The forward runs under `NoGradGuard` and in eval mode (so Dropout draws no random numbers),
/// and every module's training flag is restored afterwards. When `model` is a `Sequential`,
/// its children run one by one and each row gets its output shape (nested Sequentials too);
/// other modules get the shape of the model's output only on the model's own row.
/// @param model the model to describe and run
/// @param example_input an input the model accepts, such as a small batch of ids
/// @param options what to include
/// @return the table, as the other overload, with the "Output shape" column filled in
/// @throws whatever the model's forward throws for this input (the message names the layer).
std::string summary(Module& model, const Tensor& example_input, const SummaryOptions& options = {});

/// Writes an integer with a comma between each group of three digits: 1280000 -> "1,280,000".
/// @param value the number
/// @return the text
/// @code
/// fmt::print("{}\n", nn::with_thousands_separators(1280000));   // 1,280,000
/// @endcode
std::string with_thousands_separators(int64_t value);

/// Writes a byte count with a binary unit and one decimal: 5120000 -> "4.9 MiB".
///
/// Below 1024 it writes bytes ("8 B"); above, KiB, MiB, GiB or TiB (powers of 1024).
/// @param bytes the number of bytes (non-negative)
/// @return the text
/// @code
/// fmt::print("{}\n", nn::human_bytes(1280000 * 4));   // 4.9 MiB
/// @endcode
std::string human_bytes(int64_t bytes);

}  // namespace embedlab::nn
