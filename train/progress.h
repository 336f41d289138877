/// @file progress.h
/// @brief `ProgressBar`: shows how far a training loop is, how fast it goes and when it ends.
///
/// On a terminal the bar is one line redrawn in place with a carriage return (`\\r`), at most about
/// ten times a second; in a log file or on CI it writes an occasional full line instead, so logs
/// stay short. The clock can be replaced, so tests see exact, repeatable output. This file leaves
/// out colours and multi-bar layouts.
#pragma once

#include <cstdint>
#include <functional>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

namespace embedlab::train {

/// How a `ProgressBar` writes its output.
enum class ProgressMode {
  kAuto,      ///< kTerminal on a terminal, unless NO_COLOR, TERM=dumb or CI=true say otherwise.
  kTerminal,  ///< One line, redrawn in place with a carriage return.
  kPlain,     ///< Full lines now and then, for log files and CI.
};

/// The knobs of a `ProgressBar`; the defaults suit a training loop.
struct ProgressOptions {
  ProgressMode mode = ProgressMode::kAuto;  ///< Terminal or plain output (see ProgressMode).
  std::function<double()> now;  ///< The clock, in seconds; empty means std::chrono::steady_clock.
  int bar_width = 20;           ///< Characters between the brackets.
  double redraw_seconds = 0.1;  ///< Terminal: the least time between two redraws.
  double plain_fraction = 0.1;  ///< Plain: a line needs this much more of the total done...
  double plain_seconds = 10.0;  ///< ...and this much time since the last line (the rarer wins).
};

/// A named number shown after the bar, such as {"loss", 0.1234}.
using Metric = std::pair<std::string, double>;

/// Shows the progress of a loop of `total_steps` steps.
/// A line looks like `train [#########...........] 45% 4500/10000 loss 0.1234 12.3k it/s ETA
/// 00:05`.
/// @code
/// ProgressBar bar(10000, "train");
/// for (int64_t step = 1; step <= 10000; ++step) {
///   double loss = train_one_step();
///   bar.update(step, {{"loss", loss}});
/// }
/// bar.finish();  // train done: 10000/10000 steps in 01:23 (120 it/s average) loss 0.1234
/// @endcode
class ProgressBar {
 public:
  /// Starts a bar for `total_steps` steps named `label`, writing to `out`; the clock starts now.
  /// @throws ValueError when total_steps < 1 or bar_width < 1.
  ProgressBar(int64_t total_steps, std::string label, std::ostream& out = std::cerr,
              ProgressOptions options = {});
  /// Calls finish() if it was not called, so the summary line is never lost.
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  /// Records that `step` steps are done, updates the given metrics and redraws if it is time.
  /// @throws ValueError when step is outside [0, total_steps] or finish() was called.
  void update(int64_t step, const std::vector<Metric>& metrics = {});
  /// Records `n` more steps done and redraws if it is time.
  /// @throws ValueError when n < 0 or the total would be passed.
  void tick(int64_t n = 1);
  /// Sets a metric shown after the count (shown from the next redraw on).
  void set_metric(const std::string& name, double value);
  /// Draws the last state and writes the summary line: steps, total time, average rate.
  /// Calling it again does nothing.
  void finish();

  /// Returns the current line, without carriage return or newline.
  std::string status_line() const;
  /// Returns the summary line that finish() writes.
  std::string summary_line() const;
  /// Returns true when the bar redraws one line in place (terminal mode).
  bool terminal_mode() const { return terminal_; }
  /// Returns the number of steps done so far.
  int64_t step() const { return step_; }

 private:
  double seconds_since_start() const;
  void draw_if_due();
  void draw_terminal();

  int64_t total_;
  std::string label_;
  std::ostream& out_;
  ProgressOptions options_;
  bool terminal_ = false;
  double start_time_ = 0;
  int64_t step_ = 0;
  std::vector<Metric> metrics_;
  bool drawn_ = false;  // terminal: a line has been drawn
  double last_draw_time_ = 0;
  std::size_t last_length_ = 0;  // terminal: length of the line on screen, to blank it out
  int64_t last_print_step_ = 0;  // plain: step at the last line written
  double last_print_time_ = 0;
  bool finished_ = false;
};

/// Writes a count the short way: 950, 1.2k, 12.3k, 340k, 3.4M, 1.0G.
std::string format_count(double value);
/// Writes a duration as mm:ss below an hour and h:mm:ss above (`00:05`, `1:02:03`);
/// `--:--` when unknown (negative or not finite).
std::string format_duration(double seconds);
/// Writes a speed: `12.3k it/s`, or `2.5 s/it` when a step takes more than a second;
/// `-- it/s` when unknown.
std::string format_rate(double steps_per_second);
/// Writes a metric value with four significant digits (`0.1234`), or short above 1000 (`12.3k`).
std::string format_metric(double value);

/// Returns true when the environment asks for plain output: NO_COLOR is set (not empty),
/// TERM is "dumb", or CI is "true" or "1".
bool environment_wants_plain();
/// Picks terminal or plain mode for `out`: terminal only for std::cout, std::cerr or std::clog
/// attached to a terminal, and only when environment_wants_plain() is false.
ProgressMode detect_mode(const std::ostream& out);

}  // namespace embedlab::train
