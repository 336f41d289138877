// The bad-input catalogue, second sweep, files: every I/O error names the path and the
// system's reason and keeps the old file; inputs that are pipes, not files; and
// file names near NAME_MAX (255 bytes), which the temporary file of an atomic save must not
// push over the limit.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <climits>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "embedlab.h"
#include "io/atomic_file.h"
#include "io/safetensors.h"
#include "io/word2vec_format.h"
#include "reliability_test_utils.h"
#include "viz/svg.h"

using namespace embedlab;
using embedlab::test::MessageHas;
using embedlab::test::read_file;
using embedlab::test::TempDir;
using embedlab::test::write_file;

namespace {
// Limits the size of any file this process writes to `bytes` while it lives, the way a full
// disk would stop a write (errno EFBIG, "File too large", instead of ENOSPC). /dev/full
// cannot stand in: an atomic save writes a temporary file next to the target, never the
// target itself.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    old_handler_ = ::signal(SIGXFSZ, SIG_IGN);  // else the kernel kills the process
    rlimit limit = saved_;
    limit.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &limit);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    ::signal(SIGXFSZ, old_handler_);
  }

 private:
  rlimit saved_{};
  sighandler_t old_handler_;
};

// The words "a" ... with 64-dimensional vectors: about 100 KB of text, 25 KB of floats.
io::WordVectors many_vectors() {
  io::WordVectors vectors;
  vectors.dim = 64;
  for (int i = 0; i < 100; ++i) {
    vectors.words.push_back("w" + std::to_string(i));
    for (int c = 0; c < 64; ++c)
      vectors.values.push_back(0.125f * static_cast<float>(i - c));
  }
  return vectors;
}

// A path to the read end of a pipe that already holds `content` (its write end closed), so
// reading it gives `content` once, like `<(zcat file.gz)` in bash. Closes the pipe when done.
class PipeWithContent {
 public:
  explicit PipeWithContent(const std::string& content) {
    REQUIRE(::pipe(fds_) == 0);
    REQUIRE(content.size() < 65536);  // fits the pipe's buffer: no writer thread needed
    REQUIRE(::write(fds_[1], content.data(), content.size()) ==
            static_cast<ssize_t>(content.size()));
    ::close(fds_[1]);
  }
  PipeWithContent(const PipeWithContent&) = delete;
  PipeWithContent& operator=(const PipeWithContent&) = delete;
  ~PipeWithContent() { ::close(fds_[0]); }
  std::string path() const { return "/proc/self/fd/" + std::to_string(fds_[0]); }

 private:
  int fds_[2] = {-1, -1};
};
}  // namespace

// ---- the reason, the path, the old file ----

TEST_CASE("a safetensors save that runs out of space names the path and the reason",
          "[catalogue][io][class8]") {
  // Before: "write_safetensors: the output stream failed", the reason lost on the way.
  TempDir dir;
  const std::string path = dir.path("model.safetensors");
  write_file(path, "old content");
  const std::vector<float> values(50000, 1.0f);  // 200 KB of data
  const std::vector<io::ArrayView> arrays = {io::make_array_view("w", {50000}, values)};
  {
    FileSizeLimit limit(100000);
    REQUIRE_THROWS_MATCHES(io::save_safetensors(path, arrays), IOError,
                           MessageHas({"cannot write", path, "File too large"}));
  }
  REQUIRE(read_file(path) == "old content");
  REQUIRE(dir.list() == std::vector<std::string>{"model.safetensors"});  // no temporary left
}

TEST_CASE("a word2vec text save that runs out of space names the path and the reason",
          "[catalogue][io][class8]") {
  TempDir dir;
  const std::string path = dir.path("vectors.txt");
  write_file(path, "1 1\nold 0.5\n");
  {
    FileSizeLimit limit(20000);
    REQUIRE_THROWS_MATCHES(io::save_word2vec_text(path, many_vectors()), IOError,
                           MessageHas({path, "File too large"}));
  }
  REQUIRE(read_file(path) == "1 1\nold 0.5\n");
}

TEST_CASE("an SVG save that runs out of space names the path and the reason",
          "[catalogue][viz][class8]") {
  TempDir dir;
  const std::string path = dir.path("map.svg");
  write_file(path, "<svg/>");
  {
    FileSizeLimit limit(1000);
    REQUIRE_THROWS_MATCHES(viz::save_text_atomically(path, std::string(5000, 'x')), IOError,
                           MessageHas({path, "File too large"}));
  }
  REQUIRE(read_file(path) == "<svg/>");
}

TEST_CASE("saving below a path that is a file names the path and 'Not a directory'",
          "[catalogue][io][class8]") {
  TempDir dir;
  write_file(dir.path("plain"), "x");
  const std::string path = dir.path("plain") + "/model.safetensors";
  const std::vector<float> values = {1.0f};
  REQUIRE_THROWS_MATCHES(
      io::save_safetensors(path, std::vector{io::make_array_view("w", {1}, values)}), IOError,
      MessageHas({path, "Not a directory"}));
  REQUIRE_THROWS_MATCHES(io::load_safetensors(path), IOError,
                         MessageHas({path, "Not a directory"}));
  REQUIRE_THROWS_MATCHES(io::load_word2vec_text(path), IOError,
                         MessageHas({path, "Not a directory"}));
}

// ---- inputs that are pipes ----

TEST_CASE("word2vec vectors load from a pipe, whose size is unknown", "[catalogue][io][class8]") {
  // Before: the size came from tellg(), which is -1 on a pipe: a std::length_error escaped.
  PipeWithContent pipe("2 2\nhappy 1 0.5\nsad -1 0.25\n");
  const io::WordVectors vectors = io::load_word2vec_text(pipe.path());
  REQUIRE(vectors.words == std::vector<std::string>{"happy", "sad"});
  REQUIRE(vectors.values == std::vector<float>{1.0f, 0.5f, -1.0f, 0.25f});
}

TEST_CASE("a safetensors file loads from a pipe, whose size is unknown",
          "[catalogue][io][class8]") {
  // Before: the size -1 passed every check and the tensor's bytes were never read.
  const std::vector<float> values = {1.5f, -2.0f, 0.25f};
  std::ostringstream bytes;
  io::write_safetensors(bytes, std::vector<io::ArrayView>{io::make_array_view("w", {3}, values)});
  PipeWithContent pipe(bytes.str());
  const io::SafetensorsFile file = io::load_safetensors(pipe.path());
  REQUIRE(io::to_float_vector(*file.find("w")) == values);
}

// ---- file names near NAME_MAX ----

TEST_CASE("a file whose name is 250 bytes long can be saved atomically and read back",
          "[catalogue][io][names]") {
  // The temporary name adds ".tmp.<pid>" (or ".tmp.XXXXXX"): 250 + 11 bytes went past
  // NAME_MAX, so a name the system accepts could not be saved.
  TempDir dir;
  const std::string name = std::string(246, 'n') + ".svg";
  REQUIRE(name.size() == 250);
  viz::save_text_atomically(dir.path(name), "<svg/>");
  REQUIRE(read_file(dir.path(name)) == "<svg/>");
  const std::vector<float> values = {3.0f};
  const std::string model = std::string(243, 'm') + ".st";
  io::save_safetensors(dir.path(model), std::vector{io::make_array_view("w", {1}, values)});
  REQUIRE(io::to_float_vector(*io::load_safetensors(dir.path(model)).find("w")) == values);
  REQUIRE(dir.list().size() == 2);  // no temporary file left
}

TEST_CASE("a temporary name cut to fit NAME_MAX keeps whole UTF-8 characters",
          "[catalogue][io][names]") {
  // "a" and 84 three-byte characters make a 253-byte name. 240 bytes would fit, but byte 240
  // is the middle of a character: the temporary name keeps the first 238.
  std::string name = "a";
  for (int i = 0; i < 84; ++i)
    name += "词";
  const std::string temp = std::filesystem::path(io::temp_path_for("dir/" + name)).filename();
  REQUIRE(temp.size() <= NAME_MAX);
  REQUIRE(temp.substr(0, 238) == name.substr(0, 238));
  REQUIRE(temp.substr(238, 5) == ".tmp.");
  TempDir dir;
  write_file(dir.path(name), "x");  // the name itself is valid
  REQUIRE_NOTHROW(io::write_file_atomically(dir.path(name), std::as_bytes(std::span("y", 1))));
  REQUIRE(read_file(dir.path(name)) == "y");
}

TEST_CASE("a file name past NAME_MAX is refused with the system's reason and the path",
          "[catalogue][io][names]") {
  TempDir dir;
  const std::string path = dir.path(std::string(256, 'x'));
  REQUIRE_THROWS_MATCHES(viz::save_text_atomically(path, "<svg/>"), IOError,
                         MessageHas({path, "File name too long"}));
  const std::vector<float> values = {1.0f};
  REQUIRE_THROWS_MATCHES(
      io::save_safetensors(path, std::vector{io::make_array_view("w", {1}, values)}), IOError,
      MessageHas({path, "File name too long"}));
  REQUIRE(dir.list().empty());
}
