// Crash safety of save_safetensors: a child process saves a 1 MiB file over and over,
// alternating two contents, and is killed with SIGKILL at many moments. After every kill the
// file must load and hold one of the two complete contents, never a mix or a torn write.
//
// SIGKILL stops the process but not the kernel, so this checks the temp-file-and-rename
// recipe; surviving a power cut also needs the fsyncs, which a test cannot pull the plug on.
// Each kill can leave a "model.safetensors.tmp.<pid>" behind; remove_stale_temp_files() must
// clean them all up at the end.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstring>
#include <random>

#include "io/atomic_file.h"
#include "io/safetensors.h"
#include "io_test_utils.h"

namespace io = embedlab::io;

namespace {

constexpr int64_t kSide = 512;  // 512 x 512 floats = 1 MiB

// Runs in the child: tell the parent it runs, then save B and A alternately until killed
// (or 20 s pass, as a safety net).
[[noreturn]] void save_forever(const std::string& path, std::span<const io::ArrayView> a,
                               std::span<const io::ArrayView> b, int ready_fd) {
  char ready = 'r';
  if (write(ready_fd, &ready, 1) != 1) _exit(4);
  auto start = std::chrono::steady_clock::now();
  try {
    for (int64_t i = 0; std::chrono::steady_clock::now() - start < std::chrono::seconds(20); ++i) {
      io::save_safetensors(path, i % 2 == 0 ? b : a);
    }
  } catch (...) {
    _exit(2);
  }
  _exit(3);
}

bool same_bytes(const io::NamedArray& array, const std::vector<float>& values) {
  return array.bytes.size() == values.size() * sizeof(float) &&
         std::memcmp(array.bytes.data(), values.data(), array.bytes.size()) == 0;
}

}  // namespace

TEST_CASE("a save killed at any moment leaves the old or the new file, complete",
          "[io][atomic][crash]") {
  embedlab::test::TempDir dir;
  std::string path = dir.path("model.safetensors");
  std::vector<float> a(kSide * kSide);
  std::vector<float> b(kSide * kSide);
  for (size_t i = 0; i < a.size(); ++i) {
    a[i] = static_cast<float>(i);
    b[i] = -static_cast<float>(i) - 1.0f;
  }
  std::vector<io::ArrayView> views_a = {io::make_array_view("w", {kSide, kSide}, a)};
  std::vector<io::ArrayView> views_b = {io::make_array_view("w", {kSide, kSide}, b)};
  io::save_safetensors(path, views_a);

  std::mt19937 rng(2024);
  std::uniform_int_distribution<int> delay_us(0, 3000);
  int kills = 50;
  int found_a = 0;
  int found_b = 0;
  for (int k = 0; k < kills; ++k) {
    int pipe_fds[2];
    REQUIRE(pipe(pipe_fds) == 0);
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) save_forever(path, views_a, views_b, pipe_fds[1]);
    // Start the clock when the child runs, not when fork() returns: on a busy machine the
    // child may wait to be scheduled, and every kill would land before its first write.
    char ready = 0;
    REQUIRE(read(pipe_fds[0], &ready, 1) == 1);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    usleep(static_cast<useconds_t>(delay_us(rng)));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    CAPTURE(k);
    REQUIRE(WIFSIGNALED(status));  // not an early exit: the child was still saving

    io::SafetensorsFile file = io::load_safetensors(path);
    REQUIRE(file.arrays.size() == 1);
    REQUIRE(file.arrays[0].shape == std::vector<int64_t>{kSide, kSide});
    bool is_a = same_bytes(file.arrays[0], a);
    bool is_b = same_bytes(file.arrays[0], b);
    REQUIRE((is_a || is_b));
    found_a += is_a ? 1 : 0;
    found_b += is_b ? 1 : 0;
  }
  // Each leftover temp file is a kill that landed in the middle of a save.
  int removed = io::remove_stale_temp_files(path);
  WARN("after " << kills << " kills the file held content A " << found_a << " times and B "
                << found_b << " times; " << removed << " kills interrupted a save");
  CHECK(removed <= kills);
  CHECK(dir.list() == std::vector<std::string>{"model.safetensors"});
}
