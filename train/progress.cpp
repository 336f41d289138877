/// @file progress.cpp
/// @brief `ProgressBar` and the number formats it uses (see progress.h).
#include "train/progress.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <string_view>

#include <fmt/format.h>

#include "tensor/error.h"

namespace embedlab::train {

namespace {

// What format_count shows for `x` once rounded: one decimal below 100, none above.
double rounded_as_shown(double x) {
  return std::fabs(x) < 100 ? std::round(x * 10) / 10 : std::round(x);
}

// The default clock: seconds on std::chrono::steady_clock, which never jumps back.
double steady_seconds() {
  const auto since_epoch = std::chrono::steady_clock::now().time_since_epoch();
  return std::chrono::duration<double>(since_epoch).count();
}

}  // namespace

std::string format_count(double value) {
  if (!std::isfinite(value)) return fmt::format("{}", value);
  static const char* const kSuffixes[6] = {"", "k", "M", "G", "T", "P"};
  double scaled = value;
  int unit = 0;
  // Move up a unit while the rounded number would show 1000 or more (999.96 -> 1.0k).
  while (unit < 5 && std::fabs(rounded_as_shown(scaled)) >= 1000) {
    scaled /= 1000;
    ++unit;
  }
  // Whole numbers below 1000 stay whole (950, not 950.0); the others get a decimal below 100.
  if (unit == 0 && scaled == std::round(scaled)) return fmt::format("{:.0f}", scaled);
  if (std::fabs(scaled) < 100) return fmt::format("{:.1f}{}", scaled, kSuffixes[unit]);
  return fmt::format("{:.0f}{}", scaled, kSuffixes[unit]);
}

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "--:--";
  const auto total = static_cast<int64_t>(std::llround(seconds));
  const int64_t hours = total / 3600;
  const int64_t minutes = total % 3600 / 60;
  const int64_t secs = total % 60;
  if (hours > 0) return fmt::format("{}:{:02}:{:02}", hours, minutes, secs);
  return fmt::format("{:02}:{:02}", minutes, secs);
}

std::string format_rate(double steps_per_second) {
  if (!std::isfinite(steps_per_second) || steps_per_second <= 0) return "-- it/s";
  // Slow loops read better as seconds per step: "2.5 s/it" rather than "0.4 it/s".
  if (steps_per_second < 1) return fmt::format("{:.1f} s/it", 1 / steps_per_second);
  return format_count(steps_per_second) + " it/s";
}

std::string format_metric(double value) {
  if (!std::isfinite(value)) return fmt::format("{}", value);
  if (std::fabs(value) >= 1000) return format_count(value);
  return fmt::format("{:.4g}", value);
}

bool environment_wants_plain() {
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  const char* ci = std::getenv("CI");
  if (no_color != nullptr && no_color[0] != '\0') return true;
  if (term != nullptr && std::string_view(term) == "dumb") return true;
  if (ci != nullptr && (std::string_view(ci) == "true" || std::string_view(ci) == "1")) return true;
  return false;
}

ProgressMode detect_mode(const std::ostream& out) {
  if (environment_wants_plain()) return ProgressMode::kPlain;
  // A std::ostream does not know its file descriptor; the three standard streams do.
  int fd = -1;
  if (&out == &std::cout) fd = STDOUT_FILENO;
  if (&out == &std::cerr || &out == &std::clog) fd = STDERR_FILENO;
  if (fd >= 0 && ::isatty(fd) == 1) return ProgressMode::kTerminal;
  return ProgressMode::kPlain;
}

ProgressBar::ProgressBar(int64_t total_steps, std::string label, std::ostream& out,
                         ProgressOptions options)
    : total_(total_steps), label_(std::move(label)), out_(out), options_(std::move(options)) {
  if (total_ < 1) {
    throw ValueError(
        fmt::format("ProgressBar \"{}\": total_steps must be at least 1, got {}", label_, total_));
  }
  if (options_.bar_width < 1) {
    throw ValueError(fmt::format("ProgressBar \"{}\": bar_width must be at least 1, got {}", label_,
                                 options_.bar_width));
  }
  if (!options_.now) options_.now = steady_seconds;
  const ProgressMode mode =
      options_.mode == ProgressMode::kAuto ? detect_mode(out_) : options_.mode;
  terminal_ = mode == ProgressMode::kTerminal;
  start_time_ = options_.now();
  last_print_time_ = start_time_;
}

ProgressBar::~ProgressBar() {
  try {
    finish();
  } catch (...) {
    // A destructor must not throw; a lost summary line is the lesser harm.
  }
}

void ProgressBar::update(int64_t step, const std::vector<Metric>& metrics) {
  if (finished_) {
    throw ValueError(fmt::format("ProgressBar \"{}\": update({}) after finish()", label_, step));
  }
  if (step < 0 || step > total_) {
    throw ValueError(
        fmt::format("ProgressBar \"{}\": step {} outside [0, {}]", label_, step, total_));
  }
  step_ = step;
  for (std::size_t i = 0; i < metrics.size(); ++i)
    set_metric(metrics[i].first, metrics[i].second);
  draw_if_due();
}

void ProgressBar::tick(int64_t n) {
  if (n < 0) throw ValueError(fmt::format("ProgressBar \"{}\": tick({}) is negative", label_, n));
  update(step_ + n);
}

void ProgressBar::set_metric(const std::string& name, double value) {
  for (std::size_t i = 0; i < metrics_.size(); ++i) {
    if (metrics_[i].first == name) {
      metrics_[i].second = value;
      return;
    }
  }
  metrics_.emplace_back(name, value);
}

void ProgressBar::finish() {
  if (finished_) return;
  finished_ = true;
  if (terminal_) {
    draw_terminal();  // the final state, even if a redraw was skipped by the throttle
    out_ << '\n';
  }
  out_ << summary_line() << '\n';
  out_.flush();
}

double ProgressBar::seconds_since_start() const {
  return options_.now() - start_time_;
}

std::string ProgressBar::status_line() const {
  const int64_t filled = step_ * options_.bar_width / total_;  // rounded down: full only at the end
  std::string line = fmt::format("{} [{}{}] {}% {}/{}", label_, std::string(filled, '#'),
                                 std::string(options_.bar_width - filled, '.'),
                                 step_ * 100 / total_, step_, total_);
  for (std::size_t i = 0; i < metrics_.size(); ++i) {
    line += fmt::format(" {} {}", metrics_[i].first, format_metric(metrics_[i].second));
  }
  const double elapsed = seconds_since_start();
  const double rate = elapsed > 0 ? static_cast<double>(step_) / elapsed : 0;
  const double eta = rate > 0 ? static_cast<double>(total_ - step_) / rate : -1;
  line += fmt::format(" {} ETA {}", format_rate(rate), format_duration(eta));
  return line;
}

std::string ProgressBar::summary_line() const {
  const double elapsed = seconds_since_start();
  const double rate = elapsed > 0 ? static_cast<double>(step_) / elapsed : 0;
  std::string line = fmt::format("{} {}: {}/{} steps in {} ({} average)", label_,
                                 step_ == total_ ? "done" : "stopped", step_, total_,
                                 format_duration(elapsed), format_rate(rate));
  for (std::size_t i = 0; i < metrics_.size(); ++i) {
    line += fmt::format(" {} {}", metrics_[i].first, format_metric(metrics_[i].second));
  }
  return line;
}

void ProgressBar::draw_if_due() {
  const double now = options_.now();
  if (terminal_) {
    // At most one redraw per redraw_seconds: printing is slow next to a training step.
    if (drawn_ && now - last_draw_time_ < options_.redraw_seconds) return;
    draw_terminal();
    return;
  }
  // Plain: a new line only when enough progress AND enough time have passed since the last.
  const double needed = std::ceil(options_.plain_fraction * static_cast<double>(total_));
  const bool enough_steps = static_cast<double>(step_ - last_print_step_) >= std::max(1.0, needed);
  const bool enough_time = now - last_print_time_ >= options_.plain_seconds;
  if (!enough_steps || !enough_time) return;
  out_ << status_line() << '\n';
  out_.flush();
  last_print_step_ = step_;
  last_print_time_ = now;
}

void ProgressBar::draw_terminal() {
  const std::string line = status_line();
  out_ << '\r' << line;
  // Blank out what is left of a longer previous line.
  if (line.size() < last_length_) out_ << std::string(last_length_ - line.size(), ' ');
  out_.flush();
  last_length_ = line.size();
  last_draw_time_ = options_.now();
  drawn_ = true;
}

}  // namespace embedlab::train
