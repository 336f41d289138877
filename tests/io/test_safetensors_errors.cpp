// Every way a safetensors file can be malformed, each with the message it must produce.
// Files are built by hand: 8-byte size, header text, then `data_size` zero bytes.
#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <sstream>

#include "io/safetensors.h"
#include "io_test_utils.h"
#include "tensor/error.h"

namespace io = embedlab::io;

namespace {

std::string size_bytes(uint64_t n) {
  std::string bytes(8, '\0');
  for (int i = 0; i < 8; ++i)
    bytes[i] = static_cast<char>((n >> (8 * i)) & 0xff);
  return bytes;
}

std::string make_file(const std::string& header, size_t data_size) {
  return size_bytes(header.size()) + header + std::string(data_size, '\0');
}

// The message of the FormatError that loading `file` throws (other exceptions fail the test).
std::string format_error_of(const std::string& file) {
  try {
    io::load_safetensors_from_bytes(embedlab::test::as_byte_span(file), "t.st");
  } catch (const embedlab::FormatError& e) {
    return e.what();
  }
  return "(no FormatError)";
}

// A valid 168-byte file: header of 144 bytes, tensor "a" at [0, 8), "w" at [8, 16).
std::string valid_file() {
  std::vector<float> w = {1.0f, 2.0f};
  std::vector<int64_t> a = {5};
  std::vector<io::ArrayView> arrays = {io::make_array_view("w", {2}, w),
                                       io::make_array_view("a", {1}, a)};
  std::ostringstream out;
  io::write_safetensors(out, arrays, {{"format", "pt"}});
  return out.str();
}

const char* kEntry = R"("dtype":"F32","shape":[2],"data_offsets":[0,8])";

}  // namespace

TEST_CASE("safetensors truncated at any size names expected and actual sizes",
          "[io][safetensors][errors]") {
  std::string file = valid_file();
  REQUIRE(file.size() == 168);
  CHECK(
      format_error_of("") ==
      "safetensors \"t.st\": file is truncated: it has 0 bytes, fewer than the 8-byte header size");
  CHECK_THAT(format_error_of(file.substr(0, 5)), Catch::Contains("it has 5 bytes, fewer than"));
  for (size_t cut : {8, 9, 100, 151}) {
    CAPTURE(cut);
    CHECK(format_error_of(file.substr(0, cut)) ==
          fmt::format("safetensors \"t.st\": file is truncated: the header size says 144 bytes of "
                      "JSON follow, but the file has only {} bytes after the 8-byte size",
                      cut - 8));
  }
  for (size_t cut : {152, 160, 167}) {
    CAPTURE(cut);
    CHECK(
        format_error_of(file.substr(0, cut)) ==
        fmt::format("safetensors \"t.st\": file is truncated: tensor \"w\" ends at byte 16 of the "
                    "data, so the file needs 8 + 144 + 16 = 168 bytes, but it has {}",
                    cut));
  }
}

TEST_CASE("truncated safetensors files on disk give the same errors", "[io][safetensors][errors]") {
  embedlab::test::TempDir dir;
  std::string path = dir.path("cut.st");
  embedlab::test::write_file(path, valid_file().substr(0, 160));
  REQUIRE_THROWS_AS(io::load_safetensors(path), embedlab::FormatError);
  REQUIRE_THROWS_WITH(io::load_safetensors(path),
                      Catch::Contains("cut.st") &&
                          Catch::Contains("needs 8 + 144 + 16 = 168 bytes, but it has 160"));
  embedlab::test::write_file(path, "abc");
  REQUIRE_THROWS_WITH(io::load_safetensors(path), Catch::Contains("it has 3 bytes"));
}

TEST_CASE("safetensors header size that is huge or beyond the file is refused",
          "[io][safetensors][errors]") {
  CHECK(format_error_of(size_bytes(uint64_t{1} << 40) + "{}") ==
        "safetensors \"t.st\": header size 1099511627776 is above the 100000000-byte limit "
        "(corrupt file?)");
  CHECK(format_error_of(size_bytes(~uint64_t{0}) + "{}") ==
        "safetensors \"t.st\": header size 18446744073709551615 is above the 100000000-byte limit "
        "(corrupt file?)");
  CHECK_THAT(format_error_of(size_bytes(200) + "{}"),
             Catch::Contains("header size says 200 bytes of JSON follow, but the file has only 2"));
}

TEST_CASE("safetensors header that is not a JSON object is refused", "[io][safetensors][errors]") {
  CHECK_THAT(format_error_of(make_file(R"({"a":)", 0)),
             Catch::Contains("header is not valid JSON"));
  CHECK_THAT(format_error_of(make_file(R"({"a":1} x)", 0)),
             Catch::Contains("header is not valid JSON"));
  CHECK_THAT(format_error_of(make_file("{\"\xff\":1}", 0)),
             Catch::Contains("header is not valid JSON"));
  CHECK_THAT(format_error_of(make_file("[1, 2]", 0)),
             Catch::Contains("header must be a JSON object starting with '{'"));
  CHECK_THAT(format_error_of(make_file(" {}", 0)), Catch::Contains("starting with '{'"));
  CHECK_THAT(format_error_of(make_file("", 0)), Catch::Contains("starting with '{'"));
  CHECK_THAT(format_error_of(make_file(R"({"a":{"b":{"c":{"d":{"e":1}}}}})", 0)),
             Catch::Contains("header nests deeper than 4 levels"));
}

TEST_CASE("safetensors entries with missing fields or wrong JSON types are refused",
          "[io][safetensors][errors]") {
  CHECK(format_error_of(make_file(R"({"w":5})", 0)) ==
        "safetensors \"t.st\": tensor \"w\": entry must be a JSON object, found number 5");
  CHECK(format_error_of(make_file(R"({"w":{"shape":[2],"data_offsets":[0,8]}})", 8)) ==
        "safetensors \"t.st\": tensor \"w\": missing field \"dtype\"");
  CHECK_THAT(format_error_of(make_file(R"({"w":{"dtype":"F32","data_offsets":[0,8]}})", 8)),
             Catch::EndsWith("tensor \"w\": missing field \"shape\""));
  CHECK_THAT(format_error_of(make_file(R"({"w":{"dtype":"F32","shape":[2]}})", 8)),
             Catch::EndsWith("tensor \"w\": missing field \"data_offsets\""));
  CHECK_THAT(
      format_error_of(make_file(R"({"w":{"dtype":7,"shape":[2],"data_offsets":[0,8]}})", 8)),
      Catch::EndsWith("tensor \"w\": field \"dtype\" must be a JSON string, found number 7"));
  CHECK_THAT(
      format_error_of(make_file(R"({"w":{"dtype":"F32","shape":"2","data_offsets":[0,8]}})", 8)),
      Catch::EndsWith("field \"shape\" must be a JSON array, found string \"2\""));
  CHECK_THAT(
      format_error_of(make_file(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":{}}})", 8)),
      Catch::EndsWith("field \"data_offsets\" must be a JSON array, found object {}"));
  CHECK_THAT(
      format_error_of(make_file(R"({"w":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}})", 8)),
      Catch::EndsWith("tensor \"w\": shape [2.5] must hold integers, found 2.5"));
  CHECK_THAT(
      format_error_of(make_file(R"({"w":{"dtype":"F32","shape":["2"],"data_offsets":[0,8]}})", 8)),
      Catch::EndsWith("tensor \"w\": shape [\"2\"] must hold integers, found \"2\""));
  CHECK_THAT(
      format_error_of(make_file(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0]}})", 8)),
      Catch::EndsWith("tensor \"w\": data_offsets [0] must hold exactly 2 numbers [begin, end]"));
  CHECK_THAT(
      format_error_of(make_file(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[-8,0]}})", 8)),
      Catch::EndsWith("tensor \"w\": data_offsets [-8,0] holds -8, a negative number"));
  CHECK_THAT(
      format_error_of(make_file(R"({"w":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}})", 8)),
      Catch::EndsWith("tensor \"w\": data_offsets [8,0] ends before it begins"));
  CHECK_THAT(
      format_error_of(make_file(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,1e30]}})", 8)),
      Catch::Contains("must hold integers"));
}

TEST_CASE("safetensors negative dimensions are refused", "[io][safetensors][errors]") {
  CHECK(format_error_of(
            make_file(R"({"w":{"dtype":"F32","shape":[-2,2],"data_offsets":[0,16]}})", 16)) ==
        "safetensors \"t.st\": tensor \"w\": shape [-2,2] holds -2, a negative number");
}

TEST_CASE("safetensors shape that does not match the offsets is refused",
          "[io][safetensors][errors]") {
  std::string header = R"({"weight":{"dtype":"F32","shape":[10,20],"data_offsets":[0,400]}})";
  std::string file = make_file(header, 400);
  try {
    io::load_safetensors_from_bytes(embedlab::test::as_byte_span(file), "model.st");
    FAIL("no error");
  } catch (const embedlab::FormatError& e) {
    CHECK(
        std::string(e.what()) ==
        "safetensors \"model.st\": tensor \"weight\": data_offsets [0, 400] but shape (10, 20) of "
        "F32 needs 800 bytes");
  }
  CHECK_THAT(
      format_error_of(make_file(
          R"({"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}})", 8)),
      Catch::EndsWith(
          "tensor \"w\": shape (4294967296, 4294967296) of F32 is too large to address"));
  CHECK_THAT(
      format_error_of(make_file(
          R"({"w":{"dtype":"F32","shape":[18446744073709551615],"data_offsets":[0,8]}})", 8)),
      Catch::Contains("holds 18446744073709551615, too large"));
}

TEST_CASE("safetensors offsets that overlap, leave holes or stray bytes are refused",
          "[io][safetensors][errors]") {
  auto entry = [](const char* name, int begin, int end) {
    return fmt::format(R"("{}":{{"dtype":"F32","shape":[{}],"data_offsets":[{},{}]}})", name,
                       (end - begin) / 4, begin, end);
  };
  CHECK(format_error_of(make_file("{" + entry("a", 0, 8) + "," + entry("b", 4, 12) + "}", 12)) ==
        "safetensors \"t.st\": tensors \"a\" [0, 8] and \"b\" [4, 12] overlap");
  CHECK(format_error_of(make_file("{" + entry("a", 0, 8) + "," + entry("b", 0, 8) + "}", 8)) ==
        "safetensors \"t.st\": tensors \"a\" [0, 8] and \"b\" [0, 8] overlap");
  CHECK(format_error_of(make_file("{" + entry("a", 0, 4) + "," + entry("b", 8, 12) + "}", 12)) ==
        "safetensors \"t.st\": data bytes [4, 8) belong to no tensor (a hole before tensor \"b\"); "
        "the format allows no holes");
  CHECK_THAT(format_error_of(make_file("{" + entry("a", 4, 8) + "}", 8)),
             Catch::Contains("data bytes [0, 4) belong to no tensor (a hole before tensor \"a\")"));
  CHECK(format_error_of(make_file("{" + entry("a", 0, 4) + "}", 8)) ==
        "safetensors \"t.st\": data bytes [4, 8) at the end belong to no tensor; the format allows "
        "no trailing bytes");
  CHECK_THAT(format_error_of(make_file("{}", 3)), Catch::Contains("data bytes [0, 3) at the end"));
}

TEST_CASE("safetensors duplicate keys are refused, at the top and inside an entry",
          "[io][safetensors][errors]") {
  CHECK(format_error_of(make_file(fmt::format(R"({{"w":{{{}}},"w":{{{}}}}})", kEntry, kEntry),
                                  8)) == "safetensors \"t.st\": duplicate key \"w\" in the header");
  CHECK_THAT(format_error_of(make_file(
                 R"({"w":{"dtype":"F32","dtype":"I64","shape":[2],"data_offsets":[0,8]}})", 8)),
             Catch::EndsWith("duplicate key \"dtype\" in the header"));
}

TEST_CASE("safetensors metadata must map strings to strings", "[io][safetensors][errors]") {
  CHECK(format_error_of(make_file(R"({"__metadata__":[1]})", 0)) ==
        "safetensors \"t.st\": \"__metadata__\" must be a JSON object, found array [1]");
  CHECK(format_error_of(make_file(R"({"__metadata__":{"epoch":3}})", 0)) ==
        "safetensors \"t.st\": \"__metadata__\": value of \"epoch\" must be a string, found number "
        "3");
}

TEST_CASE("safetensors dtypes other than F32 and I64 are recognised and refused",
          "[io][safetensors][errors]") {
  std::string bf16 = make_file(R"({"w":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}})", 4);
  REQUIRE_THROWS_AS(io::load_safetensors_from_bytes(embedlab::test::as_byte_span(bf16), "t.st"),
                    embedlab::TypeError);
  REQUIRE_THROWS_WITH(
      io::load_safetensors_from_bytes(embedlab::test::as_byte_span(bf16), "t.st"),
      "safetensors \"t.st\": tensor \"w\": dtype BF16 not supported (embedlab reads F32 "
      "and I64)");
  // A damaged BF16 file is reported as damaged (the item size of BF16 is known: 2 bytes).
  CHECK_THAT(
      format_error_of(make_file(R"({"w":{"dtype":"BF16","shape":[2],"data_offsets":[0,8]}})", 8)),
      Catch::Contains("shape (2) of BF16 needs 4 bytes"));
  CHECK(format_error_of(make_file(R"({"w":{"dtype":"Q7","shape":[2],"data_offsets":[0,8]}})", 8)) ==
        "safetensors \"t.st\": tensor \"w\": unknown dtype \"Q7\"");
}

TEST_CASE("safetensors accepts padding, empty files and zero-size tensors", "[io][safetensors]") {
  std::string header = R"({"a":{"dtype":"I64","shape":[0],"data_offsets":[0,0]},)"
                       R"("b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})";
  std::string file = make_file(header + "      ", 4);
  io::SafetensorsFile loaded = io::load_safetensors_from_bytes(embedlab::test::as_byte_span(file));
  REQUIRE(loaded.arrays.size() == 2);
  CHECK(loaded.arrays[0].bytes.empty());
  CHECK(loaded.arrays[1].shape == std::vector<int64_t>{1});
  CHECK(io::load_safetensors_from_bytes(embedlab::test::as_byte_span(make_file("{}", 0)))
            .arrays.empty());
}
