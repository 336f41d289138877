/// @file args.h
/// @brief Reading `--flag value` pairs from a program's command line, as the tutorials do.
#pragma once

#include <string>
#include <string_view>

namespace embedlab::train {

/// Returns the word after `flag` on the command line (`--data DIR` gives "DIR"), or
/// `fallback` when the flag is absent or is the last word.
/// @code
/// const std::string data_dir = train::flag_value(argc, argv, "--data", "data");
/// @endcode
std::string flag_value(int argc, char** argv, std::string_view flag, std::string fallback);

}  // namespace embedlab::train
