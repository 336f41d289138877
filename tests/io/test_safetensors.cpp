// Tests of safetensors writing and reading: exact bytes, bit-exact round trips, metadata, and
// the checks on what the writer is given.
#include <bit>
#include <catch2/catch.hpp>
#include <cstring>
#include <limits>
#include <sstream>

#include "io/safetensors.h"
#include "io_test_utils.h"
#include "tensor/error.h"

namespace io = embedlab::io;
using embedlab::test::read_file;
using embedlab::test::TempDir;

namespace {

std::vector<uint32_t> float_bits(const std::vector<float>& values) {
  std::vector<uint32_t> bits;
  for (float v : values)
    bits.push_back(std::bit_cast<uint32_t>(v));
  return bits;
}

std::string to_string(const std::vector<std::byte>& bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

}  // namespace

TEST_CASE("safetensors file has exactly the bytes of the format", "[io][safetensors]") {
  std::vector<float> w = {1.0f, -0.0f};
  std::vector<int64_t> a = {5};
  // Given in the wrong order on purpose: the file sorts tensors by name.
  std::vector<io::ArrayView> arrays = {io::make_array_view("w", {2}, w),
                                       io::make_array_view("a", {1}, a)};
  std::ostringstream out;
  io::write_safetensors(out, arrays, {{"format", "pt"}});

  std::string header =
      R"({"__metadata__":{"format":"pt"},"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]},)"
      R"("w":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})";
  REQUIRE(header.size() == 139);
  std::string expected;
  expected += std::string("\x90\0\0\0\0\0\0\0", 8);  // N = 144 = 139 + 5 spaces of padding
  expected += header + "     ";
  expected += std::string("\x05\0\0\0\0\0\0\0", 8);  // a = 5 as little-endian int64
  expected += std::string("\0\0\x80\x3f", 4);        // 1.0f
  expected += std::string("\0\0\0\x80", 4);          // -0.0f: only the sign bit
  CHECK(out.str() == expected);
}

TEST_CASE("safetensors without metadata omits __metadata__ and pads a scalar's header",
          "[io][safetensors]") {
  std::vector<float> x = {2.5f};
  std::vector<io::ArrayView> arrays = {io::make_array_view("x", {}, x)};
  std::ostringstream out;
  io::write_safetensors(out, arrays);
  std::string header = R"({"x":{"dtype":"F32","shape":[],"data_offsets":[0,4]}})";
  REQUIRE(header.size() == 53);
  std::string expected = std::string("\x38\0\0\0\0\0\0\0", 8) + header + "   " +
                         std::string("\0\0\x20\x40", 4);  // 2.5f
  CHECK(out.str() == expected);
}

TEST_CASE("safetensors round trip is bit exact, NaN payloads and -0.0 included",
          "[io][safetensors]") {
  TempDir dir;
  std::vector<float> weights = {-0.0f,
                                0.0f,
                                std::bit_cast<float>(0x7fc12345u),  // quiet NaN with a payload
                                std::bit_cast<float>(0xffa00001u),  // negative signalling NaN
                                std::numeric_limits<float>::infinity(),
                                std::numeric_limits<float>::denorm_min(),
                                std::numeric_limits<float>::max(),
                                0.1f};
  std::vector<int64_t> ids = {std::numeric_limits<int64_t>::min(), -1, 0,
                              std::numeric_limits<int64_t>::max()};
  std::vector<float> empty;
  std::vector<io::ArrayView> arrays = {io::make_array_view("embedding.weight", {4, 2}, weights),
                                       io::make_array_view("ids", {4}, ids),
                                       io::make_array_view("empty", {0, 3}, empty)};
  io::save_safetensors(dir.path("m.safetensors"), arrays);
  io::SafetensorsFile file = io::load_safetensors(dir.path("m.safetensors"));

  REQUIRE(file.arrays.size() == 3);
  CHECK(file.arrays[0].name == "embedding.weight");  // sorted by name
  CHECK(file.arrays[1].name == "empty");
  CHECK(file.arrays[2].name == "ids");
  const io::NamedArray& w = *file.find("embedding.weight");
  CHECK(w.dtype == "F32");
  CHECK(w.shape == std::vector<int64_t>{4, 2});
  CHECK(float_bits(io::to_float_vector(w)) == float_bits(weights));
  CHECK(io::to_int64_vector(*file.find("ids")) == ids);
  CHECK(file.find("empty")->shape == std::vector<int64_t>{0, 3});
  CHECK(file.find("empty")->bytes.empty());
  CHECK(file.find("missing") == nullptr);
  CHECK(file.metadata.empty());
  CHECK(dir.list() == std::vector<std::string>{"m.safetensors"});
}

TEST_CASE("safetensors metadata round trips, unicode and empty strings included",
          "[io][safetensors]") {
  TempDir dir;
  std::map<std::string, std::string> metadata = {
      {"epoch", "3"}, {"note", "嵌入层 \"quoted\"\n"}, {"empty", ""}};
  std::vector<io::ArrayView> none;
  io::save_safetensors(dir.path("m.st"), none, metadata);
  io::SafetensorsFile file = io::load_safetensors(dir.path("m.st"));
  CHECK(file.arrays.empty());
  CHECK(file.metadata == metadata);
}

TEST_CASE("safetensors loads the same from bytes as from a file", "[io][safetensors]") {
  TempDir dir;
  std::vector<float> v = {1, 2, 3, 4, 5, 6};
  std::vector<io::ArrayView> arrays = {io::make_array_view("v", {2, 3}, v)};
  io::save_safetensors(dir.path("v.st"), arrays, {{"k", "v"}});
  std::string bytes = read_file(dir.path("v.st"));
  io::SafetensorsFile from_bytes =
      io::load_safetensors_from_bytes(embedlab::test::as_byte_span(bytes));
  io::SafetensorsFile from_file = io::load_safetensors(dir.path("v.st"));
  REQUIRE(from_bytes.arrays.size() == 1);
  CHECK(to_string(from_bytes.arrays[0].bytes) == to_string(from_file.arrays[0].bytes));
  CHECK(io::to_float_vector(from_bytes.arrays[0]) == v);
  CHECK(from_bytes.metadata == from_file.metadata);
}

TEST_CASE("safetensors writer rejects what the format cannot hold", "[io][safetensors]") {
  TempDir dir;
  std::string path = dir.path("m.st");
  embedlab::test::write_file(path, "old");
  std::vector<float> six(6, 1.0f);
  auto save = [&](io::ArrayView view) {
    std::vector<io::ArrayView> arrays = {view};
    io::save_safetensors(path, arrays);
  };
  SECTION("shape and byte count disagree") {
    REQUIRE_THROWS_AS(save(io::make_array_view("w", {2, 2}, six)), embedlab::ShapeError);
    REQUIRE_THROWS_WITH(save(io::make_array_view("w", {2, 2}, six)),
                        "save_safetensors: tensor \"w\": shape (2, 2) of F32 needs 16 bytes but "
                        "24 were given");
  }
  SECTION("negative dimension") {
    REQUIRE_THROWS_WITH(save(io::make_array_view("w", {-2, -3}, six)),
                        Catch::Contains("tensor \"w\": shape (-2, -3) has a negative dimension"));
  }
  SECTION("unsupported dtype") {
    io::ArrayView view = io::make_array_view("w", {3}, six);
    view.dtype = "BF16";
    REQUIRE_THROWS_AS(save(view), embedlab::TypeError);
    REQUIRE_THROWS_WITH(save(view), Catch::Contains("dtype \"BF16\" not supported"));
  }
  SECTION("reserved name") {
    REQUIRE_THROWS_WITH(save(io::make_array_view("__metadata__", {6}, six)),
                        Catch::Contains("\"__metadata__\" is reserved"));
  }
  SECTION("name that is not UTF-8") {
    REQUIRE_THROWS_AS(save(io::make_array_view("w\xff", {6}, six)), embedlab::ValueError);
  }
  SECTION("two tensors with one name") {
    std::vector<io::ArrayView> arrays = {io::make_array_view("w", {6}, six),
                                         io::make_array_view("w", {6}, six)};
    REQUIRE_THROWS_WITH(io::save_safetensors(path, arrays),
                        "save_safetensors: two tensors are named \"w\"");
  }
  SECTION("metadata that is not UTF-8") {
    std::vector<io::ArrayView> arrays;
    REQUIRE_THROWS_WITH(io::save_safetensors(path, arrays, {{"k", "\xc3"}}),
                        Catch::Contains("metadata value of \"k\" is not valid UTF-8"));
  }
  CHECK(read_file(path) == "old");
  CHECK(dir.list() == std::vector<std::string>{"m.st"});
}

TEST_CASE("safetensors conversions check the dtype", "[io][safetensors]") {
  io::NamedArray ids{"ids", "I64", {1}, std::vector<std::byte>(8)};
  REQUIRE_THROWS_AS(io::to_float_vector(ids), embedlab::TypeError);
  REQUIRE_THROWS_WITH(io::to_float_vector(ids),
                      "to_float_vector: tensor \"ids\" has dtype I64, not F32");
  io::NamedArray w{"w", "F32", {1}, std::vector<std::byte>(4)};
  REQUIRE_THROWS_WITH(io::to_int64_vector(w),
                      "to_int64_vector: tensor \"w\" has dtype F32, not I64");
}

TEST_CASE("loading a missing file or a directory throws IOError", "[io][safetensors]") {
  TempDir dir;
  REQUIRE_THROWS_AS(io::load_safetensors(dir.path("none.st")), embedlab::IOError);
  REQUIRE_THROWS_WITH(
      io::load_safetensors(dir.path("none.st")),
      Catch::Contains("cannot open") && Catch::Contains("No such file or directory"));
  REQUIRE_THROWS_WITH(io::load_safetensors(dir.path("")), Catch::Contains("is a directory"));
}
