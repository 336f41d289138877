// Tests of text/corpus.h: sentences from a temporary file, chunking of long lines, reading in
// small blocks, invalid UTF-8 in a file, progress, counting, encoding, and the I/O errors.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "temp_file.h"
#include "tensor/error.h"
#include "text/corpus.h"

using namespace embedlab;
using namespace embedlab::text;
using embedlab::text::testing::TempFile;
using Tokens = std::vector<std::string>;
using Sentences = std::vector<Tokens>;

namespace {

Sentences read_all(CorpusReader& reader) {
  Sentences sentences;
  reader.for_each_sentence([&](const Tokens& tokens) { sentences.push_back(tokens); });
  return sentences;
}

}  // namespace

TEST_CASE("the corpus reader gives one sentence per non-empty line", "[text][corpus]") {
  const TempFile file("Hello world\n\n我很开心。\r\nlast line, no newline");
  CorpusReader reader(file.path());
  const Sentences expected{
      {"hello", "world"}, {"我", "很", "开心"}, {"last", "line", "no", "newline"}};
  CHECK(read_all(reader) == expected);
  CHECK(reader.sentences_read() == 3);
  SECTION("a second pass (the next epoch) reads the same sentences") {
    CHECK(read_all(reader) == expected);
  }
}

TEST_CASE("long lines are cut into sentences of at most max_sentence_length tokens",
          "[text][corpus]") {
  const TempFile file("a b c d e f g\nh\n");
  CorpusReader reader(file.path(), {}, 3);
  CHECK(read_all(reader) == Sentences{{"a", "b", "c"}, {"d", "e", "f"}, {"g"}, {"h"}});
  CHECK(kMaxSentenceLength == 10000);
  REQUIRE_THROWS_WITH(CorpusReader(file.path(), {}, 0),
                      Catch::Contains("max_sentence_length must be > 0"));
}

TEST_CASE("reading in small blocks splits no token shorter than a block", "[text][corpus]") {
  const std::string text = "Don't stop, 3.14 is pi.\n我很快乐，你呢？ ok\nend\xE2\x80\x99s here";
  const TempFile file(text);
  CorpusReader whole(file.path());
  const Sentences expected = read_all(whole);
  REQUIRE(expected.size() == 3);
  for (std::size_t block = 8; block <= 20; ++block) {
    CorpusReader reader(file.path());
    reader.set_block_size(block);
    INFO("block size " << block);
    CHECK(read_all(reader) == expected);
  }
  SECTION("a word longer than a block is cut at code point boundaries") {
    // Per character, so that the cut is visible; a Chinese run longer than a block (1 MiB by
    // default) is cut the same way before ICU sees it.
    const TempFile long_word("abcdefghij\n快乐快乐");
    TokenizerOptions characters;
    characters.chinese = ChineseSegmentation::characters;
    CorpusReader reader(long_word.path(), characters);
    reader.set_block_size(4);
    CHECK(read_all(reader) == Sentences{{"abcd", "efgh", "ij"}, {"快", "乐", "快", "乐"}});
  }
  REQUIRE_THROWS_AS(whole.set_block_size(0), ValueError);
}

TEST_CASE("invalid UTF-8 in a file names the file, the line and the byte offset in the file",
          "[text][corpus]") {
  const TempFile file("fine line\nbad \xFF here\n");  // 0xFF is byte 14 of the file
  CorpusReader reader(file.path());
  REQUIRE_THROWS_AS(read_all(reader), FormatError);
  REQUIRE_THROWS_WITH(read_all(reader), Catch::Contains(file.path()) &&
                                            Catch::Contains("line 2: invalid UTF-8 at byte 14"));
  SECTION("the offset is right with small blocks too") {
    reader.set_block_size(3);
    REQUIRE_THROWS_WITH(read_all(reader), Catch::Contains("line 2: invalid UTF-8 at byte 14"));
  }
  SECTION("replacement mode reads on") {
    TokenizerOptions options;
    options.replace_invalid_utf8 = true;
    CorpusReader replacing(file.path(), options);
    CHECK(read_all(replacing) == Sentences{{"fine", "line"}, {"bad", "\uFFFD", "here"}});
  }
}

TEST_CASE("a missing file or a directory throws IOError naming the path", "[text][corpus]") {
  REQUIRE_THROWS_AS(CorpusReader("/nonexistent/corpus.txt"), IOError);
  REQUIRE_THROWS_WITH(CorpusReader("/nonexistent/corpus.txt"),
                      Catch::Contains("cannot open \"/nonexistent/corpus.txt\""));
  REQUIRE_THROWS_WITH(count_tokens("/nonexistent/corpus.txt"), Catch::Contains("/nonexistent"));
  const std::string directory = std::filesystem::temp_directory_path().string();
  REQUIRE_THROWS_WITH(CorpusReader(directory), Catch::Contains("is a directory"));
}

TEST_CASE("the reader reports bytes read and calls the progress callback", "[text][corpus]") {
  const std::string text = "one two three\nfour five\nsix\n";  // 28 bytes
  const TempFile file(text);
  CorpusReader reader(file.path());
  CHECK(reader.total_bytes() == 28);
  reader.set_block_size(10);
  std::vector<uint64_t> progress;
  reader.set_progress_callback([&](uint64_t done, uint64_t total) {
    CHECK(total == 28);
    progress.push_back(done);
  });
  read_all(reader);
  CHECK(reader.bytes_read() == 28);
  CHECK(progress == std::vector<uint64_t>{10, 20, 28});
}

TEST_CASE("count_tokens counts a file in one pass", "[text][corpus]") {
  const TempFile file("the cat\nthe dog\n快乐 快乐");
  const TokenCounts counts = count_tokens(file.path());
  CHECK(counts.size() == 4);
  CHECK(counts.at("the") == 2);
  CHECK(counts.at("快乐") == 2);
  CHECK(counts.at("dog") == 1);
}

TEST_CASE("sentences are encoded into ids, dropping or mapping unknown tokens", "[text][corpus]") {
  // the 3, cat 2, dog 1, bird 1; min_count 2 gives <unk> 0, the 1, cat 2.
  const TempFile file("the cat the\nthe dog cat\nbird\n");
  const Vocabulary vocab = Vocabulary::build(count_tokens(file.path()), {.min_count = 2});
  REQUIRE(vocab.tokens() == Tokens{"<unk>", "the", "cat"});
  CorpusReader reader(file.path());
  std::vector<std::vector<int64_t>> ids;
  auto collect = [&](const std::vector<int64_t>& sentence) { ids.push_back(sentence); };
  SECTION("drop: unknown tokens vanish and an all-unknown line gives no sentence") {
    reader.for_each_encoded_sentence(vocab, UnknownPolicy::drop, collect);
    CHECK(ids == std::vector<std::vector<int64_t>>{{1, 2, 1}, {1, 2}});
  }
  SECTION("map_to_unk: unknown tokens become id 0") {
    reader.for_each_encoded_sentence(vocab, UnknownPolicy::map_to_unk, collect);
    CHECK(ids == std::vector<std::vector<int64_t>>{{1, 2, 1}, {1, 0, 2}, {0}});
  }
  SECTION("the helpers encode one sentence") {
    CHECK(encode(Tokens{"the", "bird", "cat"}, vocab) == std::vector<int64_t>{1, 2});
    CHECK(encode(Tokens{"the", "bird"}, vocab, UnknownPolicy::map_to_unk) ==
          std::vector<int64_t>{1, 0});
    CHECK(encode_text("The CAT, the bird!", vocab, UnknownPolicy::map_to_unk) ==
          std::vector<int64_t>{1, 2, 1, 0});
  }
  SECTION("map_to_unk needs a vocabulary with <unk>") {
    const Vocabulary no_unk = Vocabulary::build(count_tokens(file.path()), {.add_unk = false});
    REQUIRE_THROWS_AS(reader.for_each_encoded_sentence(no_unk, UnknownPolicy::map_to_unk, collect),
                      ValueError);
    REQUIRE_THROWS_WITH(encode(Tokens{"x"}, no_unk, UnknownPolicy::map_to_unk),
                        Catch::Contains("needs a vocabulary with an unknown token"));
  }
}
