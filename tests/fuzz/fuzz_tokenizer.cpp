// fuzz_tokenizer.cpp: a libFuzzer target for the text pipeline. Any byte sequence goes through
// the UTF-8 helpers, the tokenizer (strict, replacing, and with other options), a vocabulary
// and a small unigram table. Bad input may throw embedlab::Error; anything else (a crash, a
// sanitizer report, another exception, a broken invariant) is a bug.
//
// Build and run by hand (clang only):
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -I. \
//     tests/fuzz/fuzz_tokenizer.cpp text/*.cpp -lfmt -o fuzz_tokenizer
//   ./fuzz_tokenizer -max_total_time=20 tests/fuzz/corpus/tokenizer
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "tensor/error.h"
#include "text/tokenizer.h"
#include "text/utf8.h"
#include "text/vocabulary.h"

namespace {

using namespace embedlab;
using namespace embedlab::text;

/// Stops the fuzzer when an invariant does not hold (abort() is reported as a crash).
void require(bool condition) {
  if (!condition) std::abort();
}

/// The UTF-8 helpers: replacement always gives valid UTF-8, and agrees with strict checking.
void fuzz_utf8(std::string_view text) {
  const std::string repaired = replace_invalid_utf8(text);
  validate_utf8(repaired);  // must not throw
  require(decode_utf8_string(text, true).size() == count_code_points(text));
  bool valid = true;
  try {
    validate_utf8(text);
  } catch (const FormatError&) {
    valid = false;
  }
  require(valid == (repaired == text));
}

/// The tokenizer in several modes; returns the tokens of the replacing mode.
std::vector<std::string> fuzz_tokenizer(std::string_view text) {
  TokenizerOptions replace;
  replace.replace_invalid_utf8 = true;
  std::vector<std::string> tokens = tokenize(text, replace);  // must not throw
  for (const std::string& token : tokens) {
    require(!token.empty());
    validate_utf8(token);  // every token is valid UTF-8
  }
  try {
    require(tokenize(text) == tokens);  // where strict mode succeeds, it agrees
  } catch (const Error&) {
  }
  TokenizerOptions other = replace;
  other.lowercase = false;
  other.chinese = ChineseSegmentation::runs;
  Tokenizer tokenizer(other);
  std::size_t count = 0;
  tokenizer.for_each_token(text, [&count](std::string_view token) {
    require(!token.empty());
    ++count;
  });
  require(count <= tokens.size());  // merging ideographs can only lower the count
  return tokens;
}

/// A vocabulary and a small unigram table from the tokens, with options taken from the input size.
void fuzz_vocabulary(const std::vector<std::string>& tokens, std::size_t size) {
  try {
    VocabularyOptions options;
    options.min_count = static_cast<int64_t>(1 + size % 3);
    options.max_size = size % 7;
    options.add_unk = size % 2 == 0;
    const Vocabulary vocab = Vocabulary::build(tokens, options);
    require(vocab.size() > 0);
    for (int64_t id = 0; id < vocab.size(); ++id) {
      require(vocab.id(vocab.token(id)) == id);
      const double keep = vocab.keep_probability(id, 1e-3);
      require(keep > 0.0 && keep <= 1.0);
    }
    if (!tokens.empty()) vocab.suggestions(tokens.front() + "x");
    const UnigramTable table(vocab, 0.75, 1000);
    const int64_t drawn = table.sample(static_cast<uint64_t>(size) * 2654435761u);
    require(drawn >= 0 && drawn < vocab.size() && drawn != vocab.unk_id());
    vocab.id("\xFF not a token");  // throws IndexError (with suggestions)
  } catch (const Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  fuzz_utf8(text);
  const std::vector<std::string> tokens = fuzz_tokenizer(text);
  fuzz_vocabulary(tokens, size);
  return 0;
}
