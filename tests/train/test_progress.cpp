// Tests of train/progress.h: exact output with a fake clock, number formats, throttling.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>

#include "tensor/error.h"
#include "train/progress.h"

using namespace embedlab;
using namespace embedlab::train;

namespace {

// A clock that only moves when the test says so.
struct FakeClock {
  double t = 0;
  std::function<double()> function() {
    return [this] { return t; };
  }
};

ProgressOptions plain_options(FakeClock& clock) {
  ProgressOptions options;
  options.mode = ProgressMode::kPlain;
  options.now = clock.function();
  options.bar_width = 10;
  options.plain_fraction = 0.1;
  options.plain_seconds = 1.0;
  return options;
}

// Sets an environment variable for one test and puts the old value back afterwards.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value != nullptr) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_.c_str(), old_->c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }

 private:
  std::string name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("format_count writes short human numbers", "[train][progress]") {
  REQUIRE(format_count(950) == "950");
  REQUIRE(format_count(12.34) == "12.3");
  REQUIRE(format_count(0.5) == "0.5");
  REQUIRE(format_count(1234) == "1.2k");
  REQUIRE(format_count(12345) == "12.3k");
  REQUIRE(format_count(340000) == "340k");
  REQUIRE(format_count(3.4e6) == "3.4M");
  REQUIRE(format_count(999.96) == "1.0k");  // would round to 1000: next unit
  REQUIRE(format_count(999999) == "1.0M");
  REQUIRE(format_count(-1500) == "-1.5k");
  REQUIRE(format_count(2e9) == "2.0G");
}

TEST_CASE("format_duration writes mm:ss below an hour and h:mm:ss above", "[train][progress]") {
  REQUIRE(format_duration(5) == "00:05");
  REQUIRE(format_duration(65) == "01:05");
  REQUIRE(format_duration(3599.4) == "59:59");
  REQUIRE(format_duration(3599.6) == "1:00:00");
  REQUIRE(format_duration(3723) == "1:02:03");
  REQUIRE(format_duration(-1) == "--:--");
  REQUIRE(format_duration(std::nan("")) == "--:--");
}

TEST_CASE("format_rate and format_metric", "[train][progress]") {
  REQUIRE(format_rate(12345) == "12.3k it/s");
  REQUIRE(format_rate(2) == "2 it/s");
  REQUIRE(format_rate(0.4) == "2.5 s/it");
  REQUIRE(format_rate(0) == "-- it/s");
  REQUIRE(format_metric(0.1234) == "0.1234");
  REQUIRE(format_metric(2.0) == "2");
  REQUIRE(format_metric(123.456) == "123.5");
  REQUIRE(format_metric(12345) == "12.3k");
  REQUIRE(format_metric(std::nan("")) == "nan");
}

TEST_CASE("plain mode writes a line per 10% and per second, whichever is rarer",
          "[train][progress]") {
  FakeClock clock;
  std::ostringstream out;
  {
    ProgressBar bar(100, "train", out, plain_options(clock));
    REQUIRE_FALSE(bar.terminal_mode());
    clock.t = 2.5;
    bar.update(5, {{"loss", 0.5}});  // 5% done: too little progress
    clock.t = 5;
    bar.update(10);  // 10% and 5 s: a line; rate 10 / 5 = 2 it/s, ETA 90 / 2 = 45 s
    clock.t = 5.5;
    bar.update(20);  // 10% more but only 0.5 s: no line
    clock.t = 6;
    bar.update(25, {{"loss", 0.25}});  // 15% and 1 s: a line; 25 / 6 = 4.17 it/s, ETA 18 s
    clock.t = 10;
  }  // the destructor finishes: 25 steps in 10 s
  REQUIRE(out.str() ==
          "train [#.........] 10% 10/100 loss 0.5 2 it/s ETA 00:45\n"
          "train [##........] 25% 25/100 loss 0.25 4.2 it/s ETA 00:18\n"
          "train stopped: 25/100 steps in 00:10 (2.5 it/s average) loss 0.25\n");
}

TEST_CASE("finish writes the summary once, with total time and average rate", "[train][progress]") {
  FakeClock clock;
  std::ostringstream out;
  ProgressBar bar(10000, "epoch 1", out, plain_options(clock));
  bar.set_metric("loss", 0.1234);
  bar.set_metric("words/s", 50000);
  clock.t = 83;
  bar.update(10000);
  out.str("");  // only the summary is checked here
  bar.finish();
  bar.finish();
  REQUIRE(out.str() ==
          "epoch 1 done: 10000/10000 steps in 01:23 (120 it/s average) loss 0.1234 "
          "words/s 50.0k\n");
  REQUIRE_THROWS_WITH(bar.update(1), Catch::Contains("update(1) after finish()"));
}

TEST_CASE("status_line shows bar, percent, count, metrics, rate and ETA", "[train][progress]") {
  FakeClock clock;
  std::ostringstream out;
  ProgressOptions options = plain_options(clock);
  options.bar_width = 20;
  ProgressBar bar(10000, "train", out, options);
  REQUIRE(bar.status_line() == "train [....................] 0% 0/10000 -- it/s ETA --:--");
  clock.t = 9;
  bar.tick(4500);
  bar.set_metric("loss", 0.1234);
  REQUIRE(bar.step() == 4500);
  // 4500 steps / 9 s = 500 it/s; 5500 left / 500 = 11 s
  REQUIRE(bar.status_line() ==
          "train [#########...........] 45% 4500/10000 loss 0.1234 500 it/s ETA 00:11");
  clock.t = 0.36;  // 12500 it/s
  REQUIRE(bar.status_line() ==
          "train [#########...........] 45% 4500/10000 loss 0.1234 12.5k it/s ETA 00:00");
}

TEST_CASE("terminal mode redraws one line with \\r, at most every 0.1 s", "[train][progress]") {
  FakeClock clock;
  std::ostringstream out;
  ProgressOptions options = plain_options(clock);
  options.mode = ProgressMode::kTerminal;
  ProgressBar bar(10000, "train", out, options);
  REQUIRE(bar.terminal_mode());
  clock.t = 10;
  bar.update(1);  // drawn: the first line
  const std::string first = "train [..........] 0% 1/10000 10.0 s/it ETA 27:46:30";
  REQUIRE(out.str() == "\r" + first);
  clock.t = 10.05;
  bar.update(2);  // 0.05 s later: skipped
  REQUIRE(out.str() == "\r" + first);
  clock.t = 10.2;
  bar.update(2);  // drawn; one character shorter, so one space blanks the old end
  const std::string second = "train [..........] 0% 2/10000 5.1 s/it ETA 14:09:50";
  REQUIRE(out.str() == "\r" + first + "\r" + second + " ");
  clock.t = 20.4;
  bar.finish();  // the last state (even within 0.1 s), a newline, then the summary
  const std::string last = "train [..........] 0% 2/10000 10.2 s/it ETA 28:19:40";
  REQUIRE(out.str() == "\r" + first + "\r" + second + " " + "\r" + last + "\n" +
                           "train stopped: 2/10000 steps in 00:20 (10.2 s/it average)\n");
}

TEST_CASE("terminal mode throttles a fast loop to about ten redraws a second",
          "[train][progress]") {
  FakeClock clock;
  std::ostringstream out;
  ProgressOptions options = plain_options(clock);
  options.mode = ProgressMode::kTerminal;
  ProgressBar bar(1000, "fast", out, options);
  for (int step = 1; step <= 1000; ++step) {
    clock.t = step * 0.001;  // 1000 steps in one second
    bar.update(step);
  }
  const std::string text = out.str();
  REQUIRE(std::count(text.begin(), text.end(), '\r') == 10);  // at 1 ms, 101 ms, ..., 901 ms
}

TEST_CASE("the environment can ask for plain output", "[train][progress]") {
  ScopedEnv no_color("NO_COLOR", nullptr);
  ScopedEnv term("TERM", "xterm");
  ScopedEnv ci("CI", nullptr);
  REQUIRE_FALSE(environment_wants_plain());
  SECTION("CI=true") {
    ScopedEnv on_ci("CI", "true");
    REQUIRE(environment_wants_plain());
  }
  SECTION("TERM=dumb") {
    ScopedEnv dumb("TERM", "dumb");
    REQUIRE(environment_wants_plain());
  }
  SECTION("NO_COLOR set, but not when empty") {
    ScopedEnv empty("NO_COLOR", "");
    REQUIRE_FALSE(environment_wants_plain());
    ScopedEnv set("NO_COLOR", "1");
    REQUIRE(environment_wants_plain());
  }
  SECTION("a string stream is never a terminal") {
    std::ostringstream out;
    REQUIRE(detect_mode(out) == ProgressMode::kPlain);
    ProgressBar bar(10, "auto", out);
    REQUIRE_FALSE(bar.terminal_mode());
  }
}

TEST_CASE("ProgressBar refuses bad totals and steps", "[train][progress]") {
  std::ostringstream out;
  REQUIRE_THROWS_AS(ProgressBar(0, "train", out), ValueError);
  REQUIRE_THROWS_WITH(ProgressBar(-5, "train", out),
                      Catch::Contains("total_steps must be at least 1, got -5"));
  ProgressOptions narrow;
  narrow.bar_width = 0;
  REQUIRE_THROWS_WITH(ProgressBar(10, "train", out, narrow), Catch::Contains("bar_width"));
  ProgressBar bar(100, "train", out);
  REQUIRE_THROWS_WITH(bar.update(101), Catch::Contains("step 101 outside [0, 100]"));
  REQUIRE_THROWS_WITH(bar.update(-1), Catch::Contains("step -1 outside [0, 100]"));
  REQUIRE_THROWS_WITH(bar.tick(-2), Catch::Contains("tick(-2) is negative"));
  bar.update(99);
  REQUIRE_THROWS_AS(bar.tick(2), ValueError);
}
