// libFuzzer target for the safetensors reader. Any input must either load or throw an
// embedlab::Error; a crash, a sanitizer report or a huge allocation is a bug. A file that loads
// must also survive a round trip: writing it back and loading that gives the same arrays.
//
// Build and run by hand (see also tests/io/test_fuzz_regressions.cpp, which replays the corpus):
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -I/work/main \
//     io/*.cpp tests/fuzz/fuzz_safetensors.cpp -lfmt -o /tmp/fuzz_safetensors
//   /tmp/fuzz_safetensors -rss_limit_mb=512 -max_total_time=60 tests/fuzz/corpus/safetensors
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "io/safetensors.h"
#include "tensor/error.h"

namespace io = embedlab::io;

namespace {

void check_round_trip(const io::SafetensorsFile& file) {
  std::vector<io::ArrayView> views;
  for (const io::NamedArray& array : file.arrays) {
    views.push_back(io::ArrayView{array.name, array.dtype, array.shape, array.bytes});
  }
  std::ostringstream out;
  io::write_safetensors(out, views, file.metadata);
  std::string bytes = out.str();
  io::SafetensorsFile again = io::load_safetensors_from_bytes(
      std::span<const std::byte>(reinterpret_cast<const std::byte*>(bytes.data()), bytes.size()));
  if (again.metadata != file.metadata || again.arrays.size() != file.arrays.size()) std::abort();
  for (size_t i = 0; i < file.arrays.size(); ++i) {
    const io::NamedArray& a = file.arrays[i];
    const io::NamedArray& b = again.arrays[i];
    if (a.name != b.name || a.dtype != b.dtype || a.shape != b.shape || a.bytes != b.bytes)
      std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  io::SafetensorsFile file;
  try {
    file = io::load_safetensors_from_bytes(bytes, "fuzz");
  } catch (const embedlab::Error&) {
    return 0;  // refusing bad input with a clear error is the expected outcome
  }
  check_round_trip(file);
  return 0;
}
