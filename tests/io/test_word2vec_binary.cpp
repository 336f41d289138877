// Tests of the word2vec binary format: exact bytes, bit-exact round trips, gensim's variant
// without newlines, and malformed inputs with word number and byte offset.
#include <bit>
#include <catch2/catch.hpp>
#include <limits>
#include <sstream>

#include "io/word2vec_binary.h"
#include "io_test_utils.h"
#include "tensor/error.h"

namespace io = embedlab::io;
using embedlab::test::as_byte_span;
using embedlab::test::read_file;
using embedlab::test::TempDir;

namespace {

std::string format_error_of(const std::string& bytes) {
  try {
    io::parse_word2vec_binary(as_byte_span(bytes), "v.bin");
  } catch (const embedlab::FormatError& e) {
    return e.what();
  }
  return "(no FormatError)";
}

std::string float_bytes(float value) {
  uint32_t bits = std::bit_cast<uint32_t>(value);
  std::string bytes(4, '\0');
  for (int i = 0; i < 4; ++i)
    bytes[i] = static_cast<char>((bits >> (8 * i)) & 0xff);
  return bytes;
}

}  // namespace

TEST_CASE("word2vec binary output is the header, then word, space, raw floats, newline",
          "[io][word2vec][binary]") {
  TempDir dir;
  io::save_word2vec_binary(dir.path("v.bin"),
                           io::WordVectors{{"cat", "dog"}, 2, {1, -2, 0.5f, -0.0f}});
  std::string expected = "2 2\ncat " + std::string("\0\0\x80\x3f\0\0\0\xc0", 8) + "\ndog " +
                         std::string("\0\0\0\x3f\0\0\0\x80", 8) + "\n";
  CHECK(read_file(dir.path("v.bin")) == expected);
  io::WordVectors loaded = io::load_word2vec_binary(dir.path("v.bin"));
  CHECK(loaded.words == std::vector<std::string>{"cat", "dog"});
  CHECK(loaded.dim == 2);
  CHECK(loaded.values == std::vector<float>{1, -2, 0.5f, -0.0f});
  CHECK(std::signbit(loaded.values[3]));
}

TEST_CASE("word2vec binary round trip is bit exact", "[io][word2vec][binary]") {
  io::WordVectors v{{"a", "b", "c"},
                    2,
                    {std::numeric_limits<float>::denorm_min(), std::numeric_limits<float>::max(),
                     -0.0f, 0.1f, std::numeric_limits<float>::lowest(), 1e-30f}};
  std::ostringstream out;
  io::write_word2vec_binary(out, v);
  std::string bytes = out.str();
  io::WordVectors loaded = io::parse_word2vec_binary(as_byte_span(bytes));
  CHECK(loaded.words == v.words);
  for (size_t i = 0; i < v.values.size(); ++i) {
    CHECK(std::bit_cast<uint32_t>(loaded.values[i]) == std::bit_cast<uint32_t>(v.values[i]));
  }
}

TEST_CASE("word2vec binary reader accepts vectors without a trailing newline",
          "[io][word2vec][binary]") {
  // gensim writes "word " + floats with no newline; a value byte may even be '\n' (0x0a).
  std::string bytes =
      "2 1\r\ncat " + float_bytes(std::bit_cast<float>(0x0a0a0a0au)) + "dog " + float_bytes(3.0f);
  io::WordVectors v = io::parse_word2vec_binary(as_byte_span(bytes));
  CHECK(v.words == std::vector<std::string>{"cat", "dog"});
  CHECK(std::bit_cast<uint32_t>(v.values[0]) == 0x0a0a0a0au);
  CHECK(v.values[1] == 3.0f);
}

TEST_CASE("word2vec binary errors name the word and the byte", "[io][word2vec][binary][errors]") {
  std::string one = float_bytes(1.0f);
  CHECK(format_error_of("") ==
        "word2vec binary \"v.bin\": empty file, expected a header line \"count dim\"");
  CHECK_THAT(format_error_of("2 1"),
             Catch::EndsWith("no header line \"count dim\" in the first 64 bytes "
                             "(is this really the binary format?)"));
  CHECK(format_error_of("2 x\n") ==
        "word2vec binary \"v.bin\": bad header \"2 x\", expected \"count dim\" such as \"3 100\"");
  CHECK_THAT(format_error_of("1 0\n"),
             Catch::EndsWith("header \"1 0\": the dimension must be at least 1"));
  CHECK(format_error_of("2 1\ncat " + one + "\ndog") ==
        "word2vec binary \"v.bin\": word 1 (byte 13): the file ends before the space that ends the "
        "word (the header announces 2 words)");
  CHECK(format_error_of("1 2\ncat " + one) ==
        "word2vec binary \"v.bin\": word 0 \"cat\" (byte 8): the file ends inside its vector of 2 "
        "float32 values (4 bytes each); 4 bytes are left");
  CHECK(format_error_of("1 1000000000000000000\ncat " + one) ==
        "word2vec binary \"v.bin\": word 0 \"cat\" (byte 26): the file ends inside its vector of "
        "1000000000000000000 float32 values (4 bytes each); 4 bytes are left");
  CHECK(format_error_of("2 1\ncat " + one + "cat " + one) ==
        "word2vec binary \"v.bin\": word 1 (byte 12): \"cat\" already appeared as word 0");
  CHECK(format_error_of("1 1\n " + one) ==
        "word2vec binary \"v.bin\": word 0 (byte 4): empty word");
  CHECK_THAT(
      format_error_of("1 1\n\tcat " + one),
      Catch::EndsWith(
          "word 0 (byte 4): \"\tcat\" holds whitespace (is this really the binary format?)"));
  CHECK(format_error_of("1 1\ncat " + float_bytes(std::numeric_limits<float>::quiet_NaN())) ==
        "word2vec binary \"v.bin\": word 0 \"cat\": value nan in column 0 is not finite (embedlab "
        "rejects NaN and infinity)");
  CHECK(format_error_of("1 1\ncat " + one + "\nextra") ==
        "word2vec binary \"v.bin\": 6 bytes after the 1 words the header announces (byte 12)");
}

TEST_CASE("a huge dimension in a binary header is reported without overflow",
          "[io][word2vec][binary][fuzz]") {
  // Found by fuzz_word2vec: the message computed dim * 4 in int64, which overflowed.
  CHECK_THAT(format_error_of("33 2333333333333333333333\na 1 2"), Catch::Contains("bad header"));
  CHECK_THAT(
      format_error_of("33 2333333333333333333\na 1 2"),
      Catch::EndsWith("word 0 \"a\" (byte 25): the file ends inside its vector of "
                      "2333333333333333333 float32 values (4 bytes each); 3 bytes are left"));
}

TEST_CASE("word2vec binary writer rejects words the format cannot hold",
          "[io][word2vec][binary][errors]") {
  TempDir dir;
  io::WordVectors v{{"new york"}, 1, {1.0f}};
  REQUIRE_THROWS_AS(io::save_word2vec_binary(dir.path("v.bin"), v), embedlab::ValueError);
  REQUIRE_THROWS_WITH(
      io::save_word2vec_binary(dir.path("v.bin"), v),
      Catch::StartsWith("save_word2vec_binary: word 0 \"new york\" contains whitespace"));
  REQUIRE_THROWS_AS(io::load_word2vec_binary(dir.path("v.bin")), embedlab::IOError);
  CHECK(dir.list().empty());
}
