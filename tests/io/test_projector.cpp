// Tests of the Embedding Projector export: exact bytes of vectors.tsv and metadata.tsv.
#include <catch2/catch.hpp>
#include <limits>

#include "io/projector.h"
#include "io_test_utils.h"
#include "tensor/error.h"

namespace io = embedlab::io;
using embedlab::test::read_file;
using embedlab::test::TempDir;

namespace {

io::WordVectors sample() {
  return io::WordVectors{{"cat", "dog"}, 2, {0.5f, -1.0f, 2.0f, 0.25f}};
}

}  // namespace

TEST_CASE("projector files with one metadata column have no header", "[io][projector]") {
  TempDir dir;
  io::save_projector_files(dir.path("vectors.tsv"), dir.path("metadata.tsv"), sample());
  CHECK(read_file(dir.path("vectors.tsv")) == "0.5\t-1\n2\t0.25\n");
  CHECK(read_file(dir.path("metadata.tsv")) == "cat\ndog\n");
  CHECK(dir.list() == std::vector<std::string>{"metadata.tsv", "vectors.tsv"});
}

TEST_CASE("projector files with two or more metadata columns start with a header",
          "[io][projector]") {
  TempDir dir;
  SECTION("two columns") {
    io::save_projector_files(dir.path("v.tsv"), dir.path("m.tsv"), sample(),
                             {{"count", {"7", "3"}}});
    CHECK(read_file(dir.path("m.tsv")) == "word\tcount\ncat\t7\ndog\t3\n");
  }
  SECTION("three columns, one cell empty") {
    io::save_projector_files(dir.path("v.tsv"), dir.path("m.tsv"), sample(),
                             {{"count", {"7", "3"}}, {"pos", {"noun", ""}}});
    CHECK(read_file(dir.path("m.tsv")) == "word\tcount\tpos\ncat\t7\tnoun\ndog\t3\t\n");
  }
}

TEST_CASE("projector labels are cleaned so each word stays on its own row", "[io][projector]") {
  TempDir dir;
  io::WordVectors v{{"new\tyork", "a\r\nb", "", " "}, 2, {1, 2, 3, 4, 5, 6, 7, 8}};
  io::save_projector_files(dir.path("v.tsv"), dir.path("m.tsv"), v);
  CHECK(read_file(dir.path("m.tsv")) == "new york\na  b\n<empty>\n<empty>\n");
  io::save_projector_files(dir.path("v.tsv"), dir.path("m.tsv"), v,
                           {{"note\tx", {"1\t2", "", "", "x\ny"}}});
  CHECK(read_file(dir.path("m.tsv")) ==
        "word\tnote x\nnew york\t1 2\na  b\t\n<empty>\t\n<empty>\tx y\n");
}

TEST_CASE("projector export rejects what the projector cannot show", "[io][projector][errors]") {
  TempDir dir;
  io::WordVectors one_dim{{"cat", "dog"}, 1, {1, 2}};
  REQUIRE_THROWS_WITH(io::save_projector_files(dir.path("v"), dir.path("m"), one_dim),
                      "save_projector_files: dim is 1, the projector needs at least 2");
  REQUIRE_THROWS_WITH(
      io::save_projector_files(dir.path("v"), dir.path("m"), sample(), {{"count", {"7"}}}),
      "save_projector_files: column \"count\" has 1 values for 2 words");
  io::WordVectors bad = sample();
  bad.values[3] = std::numeric_limits<float>::infinity();
  REQUIRE_THROWS_AS(io::save_projector_files(dir.path("v"), dir.path("m"), bad),
                    embedlab::ValueError);
  REQUIRE_THROWS_WITH(io::save_projector_files(dir.path("v"), dir.path("m"), bad),
                      Catch::Contains("word \"dog\" (row 1) has value inf in column 1"));
  CHECK(dir.list().empty());
}
