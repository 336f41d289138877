// Tests of comparing a loaded checkpoint with the arrays a model expects.
#include <catch2/catch.hpp>

#include "io/checkpoint_check.h"
#include "tensor/error.h"

namespace io = embedlab::io;

namespace {

io::SafetensorsFile sample_file() {
  io::SafetensorsFile file;
  file.arrays.push_back({"emb.weight", "F32", {10, 4}, std::vector<std::byte>(160)});
  file.arrays.push_back({"ids", "F32", {3}, std::vector<std::byte>(12)});
  file.arrays.push_back({"old.bias", "F32", {4}, std::vector<std::byte>(16)});
  return file;
}

}  // namespace

TEST_CASE("checkpoint check passes when names, shapes and dtypes match", "[io][checkpoint]") {
  std::vector<io::ExpectedArray> expected = {
      {"emb.weight", "F32", {10, 4}}, {"ids", "F32", {3}}, {"old.bias", "F32", {4}}};
  CHECK(io::compare_checkpoint(sample_file(), expected, true).ok());
  REQUIRE_NOTHROW(io::check_against(sample_file(), expected, true));
}

TEST_CASE("checkpoint check names every missing key and mismatch", "[io][checkpoint]") {
  std::vector<io::ExpectedArray> expected = {
      {"emb.weight", "F32", {12, 4}}, {"ids", "I64", {3}}, {"linear.weight", "F32", {4, 4}}};
  SECTION("non-strict ignores keys the model does not have") {
    io::CheckpointReport report = io::compare_checkpoint(sample_file(), expected, false);
    CHECK(report.missing == std::vector<std::string>{"linear.weight"});
    CHECK(report.unexpected.empty());
    CHECK(report.mismatches ==
          std::vector<std::string>{"\"emb.weight\": shape (10, 4) in the file, (12, 4) expected",
                                   "\"ids\": dtype F32 in the file, I64 expected"});
  }
  SECTION("strict also reports unexpected keys, and check_against throws the whole list") {
    io::CheckpointReport report = io::compare_checkpoint(sample_file(), expected, true);
    CHECK(report.unexpected == std::vector<std::string>{"old.bias"});
    REQUIRE_THROWS_AS(io::check_against(sample_file(), expected, true), embedlab::ValueError);
    REQUIRE_THROWS_WITH(io::check_against(sample_file(), expected, true),
                        "checkpoint does not match the model:\n"
                        "missing key \"linear.weight\"\n"
                        "unexpected key \"old.bias\"\n"
                        "\"emb.weight\": shape (10, 4) in the file, (12, 4) expected\n"
                        "\"ids\": dtype F32 in the file, I64 expected\n");
  }
}
