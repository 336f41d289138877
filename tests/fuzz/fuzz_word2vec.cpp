// libFuzzer target for the word2vec readers, text and binary: each input goes through both.
// Any input must either parse or throw an embedlab::Error. Parsed vectors must survive a round
// trip: writing them and parsing the output again gives the same words and bit-identical floats.
//
// Build and run by hand:
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -I/work/main \
//     io/*.cpp tests/fuzz/fuzz_word2vec.cpp -lfmt -o /tmp/fuzz_word2vec
//   /tmp/fuzz_word2vec -rss_limit_mb=512 -max_total_time=60 tests/fuzz/corpus/word2vec
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <sstream>
#include <string_view>

#include "io/word2vec_binary.h"
#include "io/word2vec_format.h"
#include "tensor/error.h"

namespace io = embedlab::io;

namespace {

void require_same(const io::WordVectors& a, const io::WordVectors& b) {
  if (a.words != b.words || a.dim != b.dim || a.values.size() != b.values.size()) std::abort();
  for (size_t i = 0; i < a.values.size(); ++i) {
    if (std::bit_cast<uint32_t>(a.values[i]) != std::bit_cast<uint32_t>(b.values[i])) std::abort();
  }
}

void fuzz_text(std::string_view text) {
  io::WordVectors vectors;
  try {
    vectors = io::parse_word2vec_text(text, "fuzz");
  } catch (const embedlab::Error&) {
    return;  // refusing bad input with a clear error is the expected outcome
  }
  std::ostringstream out;
  io::write_word2vec_text(out, vectors);  // must not throw: parsed vectors are always writable
  require_same(vectors, io::parse_word2vec_text(out.str(), "round trip"));
}

void fuzz_binary(std::span<const std::byte> bytes) {
  io::WordVectors vectors;
  try {
    vectors = io::parse_word2vec_binary(bytes, "fuzz");
  } catch (const embedlab::Error&) {
    return;
  }
  std::ostringstream out;
  io::write_word2vec_binary(out, vectors);
  std::string written = out.str();
  require_same(vectors, io::parse_word2vec_binary(std::as_bytes(std::span<const char>(written))));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz_text(std::string_view(reinterpret_cast<const char*>(data), size));
  fuzz_binary(std::span<const std::byte>(reinterpret_cast<const std::byte*>(data), size));
  return 0;
}
