/// @file checkpoint.h
/// @brief Saving and loading an optimiser's state (moments, buffers, step counts, lr) as a
/// safetensors file, so training can stop and resume exactly.
#pragma once

#include <string>

#include "optim/optimizer.h"

namespace embedlab::optim {

/// Saves the optimiser's state to `path` (crash-safe: written to a temporary file, then renamed).
/// Metadata records the optimiser's name, learning rate, step count and parameter count.
/// @throws IOError when the file cannot be written.
void save(Optimizer& optimizer, const std::string& path);

/// Restores state saved by `save` into an optimiser of the same kind over the same parameters.
/// @throws ValueError when the file is for another optimiser or parameter count, or a key has
/// the wrong shape or dtype (naming the key); FormatError or IOError for a bad file. Nothing is
/// changed when it throws.
void load(Optimizer& optimizer, const std::string& path);

}  // namespace embedlab::optim
