/// @file checkpoint.h
/// @brief Saving and loading a module's parameters as a safetensors file.
///
/// The file holds one F32 array per entry of `named_parameters()` ("bag.weight", ...), so
/// `safetensors.torch.load_file` reads it in Python. Saving writes a temporary file and renames
/// it over the old one, so a crash never leaves a half-written checkpoint. Loading checks
/// every name, dtype and shape before it changes any parameter.
#pragma once

#include <map>
#include <string>

#include "nn/module.h"

namespace embedlab::nn {

/// Saves every parameter of `module` to `path` (safetensors), with optional metadata strings.
/// @throws IOError when the file cannot be written (the old file, if any, is left intact).
/// @code
/// nn::save(model, "model.safetensors");
/// nn::load(model, "model.safetensors");   // bit-exact round trip
/// @endcode
void save(const Module& module, const std::string& path,
          const std::map<std::string, std::string>& metadata = {});

/// Loads the parameters of `module` from `path`, copying the values in place.
/// @param module the module whose parameters receive the values
/// @param path the safetensors file written by `save`
/// @param strict when true (PyTorch's default), keys in the file that the module does not have
/// are an error too; missing keys and shape or dtype mismatches always are.
/// @return the file's metadata.
/// @throws IOError when the file cannot be read; FormatError when it is truncated or malformed;
/// ValueError naming every missing, unexpected or mis-shaped key. Nothing is changed then.
std::map<std::string, std::string> load(Module& module, const std::string& path,
                                        bool strict = true);

}  // namespace embedlab::nn
