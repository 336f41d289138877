// Replays the fuzzers' corpora (tests/fuzz/corpus/) through the readers: every input must load
// or throw an embedlab::Error, never anything else. Inputs that once crashed a fuzzer are kept
// in the corpus and, where they teach something, as named cases below.
#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>

#include "io/safetensors.h"
#include "io/word2vec_binary.h"
#include "io/word2vec_format.h"
#include "io_test_utils.h"
#include "tensor/error.h"

namespace io = embedlab::io;

namespace {

std::vector<std::string> corpus_files(const std::string& name) {
  std::vector<std::string> files;
  std::filesystem::path dir =
      std::filesystem::path(EMBEDLAB_SOURCE_DIR) / "tests/fuzz/corpus" / name;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_CASE("every safetensors fuzz corpus file loads or throws an embedlab error",
          "[io][safetensors][fuzz]") {
  std::vector<std::string> files = corpus_files("safetensors");
  CHECK(files.size() >= 3);
  int loaded = 0;
  for (const std::string& path : files) {
    CAPTURE(path);
    try {
      io::load_safetensors(path);
      ++loaded;
    } catch (const embedlab::Error&) {
    }
  }
  CHECK(loaded >= 3);  // the seeds include valid files
}

TEST_CASE("every word2vec fuzz corpus file parses or throws an embedlab error, as text and binary",
          "[io][word2vec][fuzz]") {
  std::vector<std::string> files = corpus_files("word2vec");
  CHECK(files.size() >= 3);
  int loaded_text = 0;
  int loaded_binary = 0;
  for (const std::string& path : files) {
    CAPTURE(path);
    try {
      io::load_word2vec_text(path);
      ++loaded_text;
    } catch (const embedlab::Error&) {
    }
    try {
      io::load_word2vec_binary(path);
      ++loaded_binary;
    } catch (const embedlab::Error&) {
    }
  }
  CHECK(loaded_text >= 3);
  CHECK(loaded_binary >= 2);
}

TEST_CASE("a carriage return inside a line separates fields, so every read word can be written",
          "[io][word2vec][fuzz]") {
  // Found by fuzz_word2vec: the reader kept "\rhe" as a word, which the writer then refused.
  io::WordVectors v = io::parse_word2vec_text("2 2\r\n\rhe 0.150 -7 \r\nof 1e-3 2.5e+0 \r\n");
  CHECK(v.words == std::vector<std::string>{"he", "of"});
  std::ostringstream out;
  REQUIRE_NOTHROW(io::write_word2vec_text(out, v));
  CHECK(out.str() == "2 2\nhe 0.15 -7\nof 0.001 2.5\n");
}
