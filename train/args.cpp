// flag_value: the one command-line helper the tutorial programs share.
#include "train/args.h"

namespace embedlab::train {

std::string flag_value(int argc, char** argv, std::string_view flag, std::string fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (argv[i] == flag) return argv[i + 1];
  }
  return fallback;
}

}  // namespace embedlab::train
