// Tests of write_file_atomically: content, replacement, and that failures leave the target and
// the directory exactly as they were.
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <stdexcept>

#include "io/atomic_file.h"
#include "io_test_utils.h"
#include "tensor/error.h"

using embedlab::IOError;
using embedlab::io::write_file_atomically;
using embedlab::test::read_file;
using embedlab::test::TempDir;

TEST_CASE("atomic write creates the file with the stream's content", "[io][atomic]") {
  TempDir dir;
  write_file_atomically(dir.path("a.txt"),
                        [](std::ostream& out) { out << "hello " << 42 << "\n"; });
  CHECK(read_file(dir.path("a.txt")) == "hello 42\n");
  CHECK(dir.list() == std::vector<std::string>{"a.txt"});
}

TEST_CASE("atomic write of a byte buffer replaces an existing file", "[io][atomic]") {
  TempDir dir;
  embedlab::test::write_file(dir.path("a.bin"), "old content that is longer");
  std::string text = "new";
  write_file_atomically(dir.path("a.bin"), embedlab::test::as_byte_span(text));
  CHECK(read_file(dir.path("a.bin")) == "new");
  CHECK(dir.list() == std::vector<std::string>{"a.bin"});
}

TEST_CASE("atomic write streams content larger than its buffer", "[io][atomic]") {
  TempDir dir;
  std::string big(200000, 'x');
  write_file_atomically(dir.path("big"), [&](std::ostream& out) {
    out << 'a';
    out.write(big.data(), static_cast<std::streamsize>(big.size()));
    out << 'b';
  });
  CHECK(read_file(dir.path("big")) == "a" + big + "b");
}

TEST_CASE("a throwing writer leaves the target untouched and no temp file", "[io][atomic]") {
  TempDir dir;
  SECTION("existing target keeps its old content") {
    embedlab::test::write_file(dir.path("t.txt"), "old");
    auto writer = [](std::ostream& out) {
      out << std::string(100000, 'n');  // part of the new content already written
      throw std::runtime_error("writer gave up");
    };
    REQUIRE_THROWS_WITH(write_file_atomically(dir.path("t.txt"), writer), "writer gave up");
    CHECK(read_file(dir.path("t.txt")) == "old");
    CHECK(dir.list() == std::vector<std::string>{"t.txt"});
  }
  SECTION("missing target stays missing") {
    auto writer = [](std::ostream&) { throw embedlab::ValueError("bad value"); };
    REQUIRE_THROWS_AS(write_file_atomically(dir.path("t.txt"), writer), embedlab::ValueError);
    CHECK(dir.list().empty());
  }
}

TEST_CASE("atomic write into a missing directory throws IOError naming path and reason",
          "[io][atomic]") {
  TempDir dir;
  std::string path = dir.path("no/such/dir/f.txt");
  REQUIRE_THROWS_AS(write_file_atomically(path, [](std::ostream& out) { out << "x"; }), IOError);
  REQUIRE_THROWS_WITH(write_file_atomically(path, [](std::ostream& out) { out << "x"; }),
                      Catch::Contains(path) && Catch::Contains("No such file or directory"));
}

TEST_CASE("a failing write reports the system's reason and removes the temp file", "[io][atomic]") {
  // A file size limit makes write() fail with EFBIG, the way a full disk fails with ENOSPC.
  TempDir dir;
  embedlab::test::write_file(dir.path("t.bin"), "old");
  rlimit saved{};
  getrlimit(RLIMIT_FSIZE, &saved);
  rlimit small = saved;
  small.rlim_cur = 4096;
  auto old_handler = signal(SIGXFSZ, SIG_IGN);
  setrlimit(RLIMIT_FSIZE, &small);
  std::string big(100000, 'x');
  std::string message;
  try {
    write_file_atomically(dir.path("t.bin"), [&](std::ostream& out) { out << big; });
  } catch (const IOError& e) {
    message = e.what();
  }
  setrlimit(RLIMIT_FSIZE, &saved);
  signal(SIGXFSZ, old_handler);
  CHECK_THAT(message, Catch::Contains("cannot write") && Catch::Contains(dir.path("t.bin")) &&
                          Catch::Contains("File too large"));
  CHECK(read_file(dir.path("t.bin")) == "old");
  CHECK(dir.list() == std::vector<std::string>{"t.bin"});
}

TEST_CASE("the temp file name is the target plus .tmp. and the pid", "[io][atomic]") {
  CHECK(embedlab::io::temp_path_for("dir/model.st") ==
        "dir/model.st.tmp." + std::to_string(getpid()));
}

TEST_CASE("remove_stale_temp_files removes only leftovers of dead processes", "[io][atomic]") {
  TempDir dir;
  pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);  // now `child` is the pid of a process that no longer exists
  std::string dead = "m.st.tmp." + std::to_string(child);
  std::string alive = "m.st.tmp." + std::to_string(getpid());
  for (const std::string& name : {dead, alive, std::string("m.st.tmp.abc"), std::string("m.st"),
                                  std::string("other.tmp.1")}) {
    embedlab::test::write_file(dir.path(name), "x");
  }
  CHECK(embedlab::io::remove_stale_temp_files(dir.path("m.st")) == 1);
  std::vector<std::string> expected = {"m.st", alive, "m.st.tmp.abc", "other.tmp.1"};
  std::sort(expected.begin(), expected.end());
  CHECK(dir.list() == expected);
}
