// Tests of the word2vec text format: exact output, bit-exact round trips, tolerated variations,
// and every malformed input with its line number.
#include <bit>
#include <catch2/catch.hpp>
#include <limits>
#include <random>
#include <sstream>

#include "io/word2vec_format.h"
#include "io_test_utils.h"
#include "tensor/error.h"

namespace io = embedlab::io;
using embedlab::test::read_file;
using embedlab::test::TempDir;

namespace {

std::string format_error_of(const std::string& text) {
  try {
    io::parse_word2vec_text(text, "v.txt");
  } catch (const embedlab::FormatError& e) {
    return e.what();
  }
  return "(no FormatError)";
}

io::WordVectors two_by_three() {
  return io::WordVectors{{"cat", "dog"}, 3, {0.5f, -1.0f, 0.1f, -0.0f, 3.25f, 1e-05f}};
}

}  // namespace

TEST_CASE("word2vec text output is exactly the format gensim reads", "[io][word2vec]") {
  TempDir dir;
  io::save_word2vec_text(dir.path("v.txt"), two_by_three());
  CHECK(read_file(dir.path("v.txt")) == "2 3\ncat 0.5 -1 0.1\ndog -0 3.25 1e-05\n");
  CHECK(dir.list() == std::vector<std::string>{"v.txt"});
}

TEST_CASE("word2vec text round trip is bit exact", "[io][word2vec]") {
  std::mt19937 rng(42);
  std::uniform_int_distribution<uint32_t> bits;
  io::WordVectors vectors;
  vectors.dim = 7;
  for (int row = 0; row < 50; ++row) {
    vectors.words.push_back("w" + std::to_string(row) + "_é");
    for (int col = 0; col < vectors.dim; ++col) {
      float value = std::bit_cast<float>(bits(rng));
      if (!std::isfinite(value)) value = 1.0f;
      vectors.values.push_back(value);
    }
  }
  vectors.values[0] = std::numeric_limits<float>::denorm_min();
  vectors.values[1] = std::numeric_limits<float>::max();
  vectors.values[2] = -std::numeric_limits<float>::min();
  vectors.values[3] = -0.0f;
  std::ostringstream out;
  io::write_word2vec_text(out, vectors);
  io::WordVectors loaded = io::parse_word2vec_text(out.str());
  CHECK(loaded.words == vectors.words);
  CHECK(loaded.dim == 7);
  REQUIRE(loaded.values.size() == vectors.values.size());
  for (size_t i = 0; i < vectors.values.size(); ++i) {
    CAPTURE(i, vectors.values[i]);
    CHECK(std::bit_cast<uint32_t>(loaded.values[i]) == std::bit_cast<uint32_t>(vectors.values[i]));
  }
}

TEST_CASE("word2vec text reader tolerates harmless variations", "[io][word2vec]") {
  SECTION("CRLF, trailing spaces, tabs and runs of spaces") {
    io::WordVectors v = io::parse_word2vec_text("2 2\r\ncat 1 2 \r\ndog\t3   4\t\r\n");
    CHECK(v.words == std::vector<std::string>{"cat", "dog"});
    CHECK(v.values == std::vector<float>{1, 2, 3, 4});
  }
  SECTION("no final newline, blank lines at the end, byte order mark") {
    CHECK(io::parse_word2vec_text("\xEF\xBB\xBF"
                                  "1 2\ncat 1 2")
              .words.size() == 1);
    CHECK(io::parse_word2vec_text("1 2\ncat 1 2\n\n  \n").words.size() == 1);
  }
  SECTION("leading plus and numbers below float32's range") {
    io::WordVectors v = io::parse_word2vec_text("1 3\ncat +1.5 1e-50 -1e-60\n");
    CHECK(v.values[0] == Approx(1.5f).epsilon(0));
    CHECK(v.values[1] == 0.0f);
    CHECK(std::signbit(v.values[2]));
  }
  SECTION("a header announcing no words") {
    io::WordVectors v = io::parse_word2vec_text("0 300\n");
    CHECK(v.words.empty());
    CHECK(v.dim == 300);
  }
}

TEST_CASE("word2vec text errors name the line", "[io][word2vec][errors]") {
  CHECK(format_error_of("") ==
        "word2vec \"v.txt\": line 1: empty file, expected a header line \"count dim\"");
  CHECK_THAT(format_error_of("\n1 2\n"),
             Catch::EndsWith("line 1: empty file or empty header line, "
                             "expected \"count dim\" such as \"3 100\""));
  CHECK(format_error_of("3\n") ==
        "word2vec \"v.txt\": line 1: bad header \"3\", expected \"count dim\", two integers such "
        "as \"3 100\"");
  CHECK_THAT(format_error_of("a b\n"), Catch::Contains("line 1: bad header \"a b\""));
  CHECK_THAT(format_error_of("-1 3\n"), Catch::Contains("line 1: bad header \"-1 3\""));
  CHECK_THAT(format_error_of("2 3 4\n"), Catch::Contains("line 1: bad header \"2 3 4\""));
  CHECK_THAT(format_error_of("99999999999999999999 3\n"), Catch::Contains("line 1: bad header"));
  CHECK(format_error_of("2 0\n") ==
        "word2vec \"v.txt\": line 1: header \"2 0\": the dimension must be at least 1");
  std::string good = "3 2\na 1 2\nb 3 4\n";
  CHECK(format_error_of(good + "c 5\n") ==
        "word2vec \"v.txt\": line 4: expected 2 values after the word, found 1");
  CHECK(format_error_of(good + "c 5 6 7\n") ==
        "word2vec \"v.txt\": line 4: expected 2 values after the word, found 3");
  CHECK(format_error_of("3 2\na 1 2\nb abc 4\nc 5 6\n") ==
        "word2vec \"v.txt\": line 3: 'abc' is not a number");
  CHECK_THAT(format_error_of(good + "c 5 6x\n"), Catch::EndsWith("line 4: '6x' is not a number"));
  CHECK_THAT(format_error_of(good + "c 5 0x10\n"),
             Catch::EndsWith("line 4: '0x10' is not a number"));
  CHECK_THAT(format_error_of(good + "c 5 +-1\n"), Catch::EndsWith("line 4: '+-1' is not a number"));
  CHECK_THAT(format_error_of(good + "c 5 1e39\n"),
             Catch::EndsWith("line 4: '1e39' is out of range for float32"));
  CHECK_THAT(format_error_of(good + "c 5 -1e999999\n"),
             Catch::EndsWith("line 4: '-1e999999' is out of range for float32"));
  CHECK_THAT(
      format_error_of(good + "c nan 1\n"),
      Catch::EndsWith("line 4: value 'nan' is not finite (embedlab rejects NaN and infinity)"));
  CHECK_THAT(
      format_error_of(good + "c 1 -inf\n"),
      Catch::EndsWith("line 4: value '-inf' is not finite (embedlab rejects NaN and infinity)"));
  CHECK(format_error_of(good) ==
        "word2vec \"v.txt\": line 4: the file ends, but the header announces 3 words and only 2 "
        "were read");
  CHECK(format_error_of(good + "c 5 6\nd 7 8\n") ==
        "word2vec \"v.txt\": line 5: more lines than the 3 words the header announces");
  CHECK(format_error_of(good + "a 5 6\n") ==
        "word2vec \"v.txt\": line 4: word \"a\" already appeared on line 2");
  CHECK(format_error_of("3 2\na 1 2\n\nb 3 4\n") ==
        "word2vec \"v.txt\": line 3: empty line, expected a word and 2 values");
}

TEST_CASE("word2vec text file errors name the file; a missing file is an IOError",
          "[io][word2vec][errors]") {
  TempDir dir;
  embedlab::test::write_file(dir.path("bad.txt"), "1 2\ncat 1\n");
  REQUIRE_THROWS_WITH(
      io::load_word2vec_text(dir.path("bad.txt")),
      Catch::Contains("bad.txt\": line 2: expected 2 values after the word, found 1"));
  REQUIRE_THROWS_AS(io::load_word2vec_text(dir.path("none.txt")), embedlab::IOError);
  REQUIRE_THROWS_WITH(io::load_word2vec_text(dir.path("none.txt")),
                      Catch::Contains("No such file or directory"));
  REQUIRE_THROWS_WITH(io::load_word2vec_text(dir.path("")), Catch::Contains("is a directory"));
}

TEST_CASE("word2vec text writer rejects what the format cannot hold", "[io][word2vec][errors]") {
  TempDir dir;
  std::string path = dir.path("v.txt");
  embedlab::test::write_file(path, "old");
  io::WordVectors v = two_by_three();
  SECTION("a word with whitespace") {
    v.words[1] = "new york";
    REQUIRE_THROWS_AS(io::save_word2vec_text(path, v), embedlab::ValueError);
    REQUIRE_THROWS_WITH(io::save_word2vec_text(path, v),
                        "save_word2vec_text: word 1 \"new york\" contains whitespace, which the "
                        "word2vec formats cannot hold");
    v.words[1] = "tab\there";
    REQUIRE_THROWS_WITH(io::save_word2vec_text(path, v), Catch::Contains("contains whitespace"));
  }
  SECTION("an empty or repeated word") {
    v.words[0] = "";
    REQUIRE_THROWS_WITH(io::save_word2vec_text(path, v), "save_word2vec_text: word 0 is empty");
    v.words[0] = "dog";
    REQUIRE_THROWS_WITH(io::save_word2vec_text(path, v),
                        "save_word2vec_text: word \"dog\" appears twice");
  }
  SECTION("a NaN value") {
    v.values[4] = std::numeric_limits<float>::quiet_NaN();
    REQUIRE_THROWS_WITH(
        io::save_word2vec_text(path, v),
        "save_word2vec_text: word \"dog\" (row 1) has value nan in column 1; the file "
        "needs finite numbers (did training diverge?)");
  }
  SECTION("values that do not fill V x D") {
    v.values.pop_back();
    REQUIRE_THROWS_WITH(io::save_word2vec_text(path, v),
                        "save_word2vec_text: 2 words of dimension 3 need 6 values, found 5");
    v.dim = 0;
    REQUIRE_THROWS_WITH(io::save_word2vec_text(path, v),
                        "save_word2vec_text: dim is 0, must be at least 1");
  }
  CHECK(read_file(path) == "old");
  CHECK(dir.list() == std::vector<std::string>{"v.txt"});
}
