/// @file axes.cpp
/// @brief Tick values, axis ranges and the shared plot frame (see axes.h).
#include "viz/axes.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include <fmt/format.h>

#include "tensor/error.h"

namespace embedlab::viz {

namespace {

// Slack for comparisons of computed values such as 1 / 0.2 = 4.999999999999999.
constexpr double kSlack = 1e-9;

// A tick step: mantissa (1, 2 or 5) times ten to the power exponent.
struct TickStep {
  int64_t mantissa = 1;
  int exponent = 0;
};

// Returns count * 10^exponent. Dividing by an exact power of ten (rather than multiplying by
// 0.01) gives the double nearest to the decimal number, so 2 and -2 give exactly 0.02.
double scaled(int64_t count, int exponent) {
  if (exponent >= 0) return static_cast<double>(count) * std::pow(10.0, exponent);
  return static_cast<double>(count) / std::pow(10.0, -exponent);
}

double step_value(const TickStep& step) {
  return scaled(step.mantissa, step.exponent);
}

// Picks the smallest 1-2-5 step that cuts `range` into at most `target` intervals.
TickStep choose_step(double range, int target) {
  const double raw = range / target;
  TickStep step;
  step.exponent = static_cast<int>(std::floor(std::log10(raw)));
  const double fraction = raw / scaled(1, step.exponent);  // in [1, 10)
  if (fraction <= 1 + kSlack) {
    step.mantissa = 1;
  } else if (fraction <= 2 + kSlack) {
    step.mantissa = 2;
  } else if (fraction <= 5 + kSlack) {
    step.mantissa = 5;
  } else {
    step.mantissa = 1;
    step.exponent += 1;
  }
  return step;
}

// Turns a tick index computed in floating point into an integer; false for values an int64_t
// cannot hold, which only degenerate ranges such as [0, 1e-320] produce.
bool to_index(double value, int64_t& index) {
  if (!std::isfinite(value) || std::fabs(value) > 1e15) return false;
  index = static_cast<int64_t>(value);
  return true;
}

// Every multiple of `step` inside [lo, hi] (none for a degenerate range).
std::vector<double> ticks_with_step(double lo, double hi, const TickStep& step) {
  const double size = step_value(step);
  int64_t first = 0;
  int64_t last = 0;
  std::vector<double> ticks;
  if (!to_index(std::ceil(lo / size - kSlack), first) ||
      !to_index(std::floor(hi / size + kSlack), last) || last - first > 1000) {
    return ticks;
  }
  for (int64_t i = first; i <= last; ++i) {
    ticks.push_back(scaled(i * step.mantissa, step.exponent));
  }
  return ticks;
}

void check_range(const char* what, double lo, double hi) {
  if (!std::isfinite(lo) || !std::isfinite(hi) || lo > hi || !std::isfinite(hi - lo)) {
    throw ValueError(fmt::format("{}: bad range [{}, {}]; need finite lo <= hi", what, lo, hi));
  }
}

void check_log_range(const char* what, double lo, double hi) {
  check_range(what, lo, hi);
  if (lo <= 0) {
    throw ValueError(
        fmt::format("{}: range [{}, {}] must be positive on a log axis", what, lo, hi));
  }
}

// The values 1, 2, 5 times powers of ten around `value`, in increasing order.
std::vector<double> one_two_five_near(double value) {
  const int decade = static_cast<int>(std::floor(std::log10(value)));
  std::vector<double> values;
  // One decade either side, in case log10 rounded across a power of ten.
  for (int d = decade - 1; d <= decade + 1; ++d) {
    values.push_back(scaled(1, d));
    values.push_back(scaled(2, d));
    values.push_back(scaled(5, d));
  }
  values.push_back(scaled(1, decade + 2));
  return values;
}

// A scale for big tick labels: 1.5M reads better than 1500000 or 1.5e+06.
struct Unit {
  double size = 1;
  const char* suffix = "";
};

Unit unit_for(double largest) {
  largest = std::fabs(largest);
  if (largest >= 1e12) return {1e12, "T"};
  if (largest >= 1e9) return {1e9, "G"};
  if (largest >= 1e6) return {1e6, "M"};
  return {1, ""};
}

// A log-axis label: 0.001, 1, 100, then 1M, 10M, 1G.
std::string format_log_tick(double value) {
  const Unit unit = unit_for(value);
  return fmt::format("{:g}{}", value / unit.size, unit.suffix);
}

}  // namespace

std::vector<double> nice_ticks(double lo, double hi, int target_intervals) {
  check_range("nice_ticks", lo, hi);
  if (target_intervals < 1) {
    throw ValueError(fmt::format("nice_ticks: target_intervals {} must be >= 1", target_intervals));
  }
  if (lo == hi) return {lo};
  return ticks_with_step(lo, hi, choose_step(hi - lo, target_intervals));
}

std::vector<double> log_ticks(double lo, double hi) {
  check_log_range("log_ticks", lo, hi);
  const int first = static_cast<int>(std::ceil(std::log10(lo) - kSlack));
  const int last = static_cast<int>(std::floor(std::log10(hi) + kSlack));
  const int decades = last - first + 1;
  std::vector<double> ticks;
  if (decades >= 3) {
    // Many decades: one tick per decade, thinned so that at most about eight remain.
    const int stride = (decades + 7) / 8;
    for (int d = first; d <= last; d += stride) {
      ticks.push_back(scaled(1, d));
    }
    return ticks;
  }
  // Few decades: 1, 2 and 5 times each power of ten that falls inside the range.
  for (int d = first - 1; d <= last; ++d) {
    const int64_t mantissas[3] = {1, 2, 5};
    for (int m = 0; m < 3; ++m) {
      const double value = scaled(mantissas[m], d);
      if (value >= lo * (1 - kSlack) && value <= hi * (1 + kSlack)) ticks.push_back(value);
    }
  }
  if (ticks.size() < 2) return nice_ticks(lo, hi);  // less than a 1-2-5 step: linear ticks
  return ticks;
}

std::string format_tick(double value, double step, double largest) {
  const Unit unit = unit_for(largest);
  value /= unit.size;
  step /= unit.size;
  if (std::fabs(value) < std::fabs(step) * 1e-6) value = 0;  // avoid "-0.00" from rounding
  const int decades = static_cast<int>(std::ceil(-std::log10(std::fabs(step)) - kSlack));
  const int decimals = std::max(0, decades);
  if (decimals > 8 || std::fabs(value) >= 1e15) return fmt::format("{:g}{}", value, unit.suffix);
  if (value == 0) return fmt::format("{:.{}f}", value, decimals);
  return fmt::format("{:.{}f}{}", value, decimals, unit.suffix);
}

double Axis::fraction(double value) const {
  if (log) return (std::log10(value) - std::log10(lo)) / (std::log10(hi) - std::log10(lo));
  return (value - lo) / (hi - lo);
}

Axis make_linear_axis(double lo, double hi, bool widen, int target_intervals) {
  check_range("make_linear_axis", lo, hi);
  if (target_intervals < 1) {
    throw ValueError(
        fmt::format("make_linear_axis: target_intervals {} must be >= 1", target_intervals));
  }
  const double magnitude = std::max(std::fabs(lo), std::fabs(hi));
  if (hi - lo <= magnitude * 1e-12) {
    // One value only: open a range around it (10% of the value, or -1..1 around zero).
    const double pad = magnitude == 0 ? 1.0 : magnitude * 0.1;
    lo -= pad;
    hi += pad;
  }
  const TickStep step = choose_step(hi - lo, target_intervals);
  Axis axis;
  axis.lo = lo;
  axis.hi = hi;
  int64_t first = 0;
  int64_t last = 0;
  const double size = step_value(step);
  if (widen && to_index(std::floor(lo / size + kSlack), first) &&
      to_index(std::ceil(hi / size - kSlack), last)) {
    axis.lo = scaled(first * step.mantissa, step.exponent);
    axis.hi = scaled(last * step.mantissa, step.exponent);
  }
  axis.ticks = ticks_with_step(axis.lo, axis.hi, step);
  const double largest = std::max(std::fabs(axis.lo), std::fabs(axis.hi));
  for (std::size_t i = 0; i < axis.ticks.size(); ++i) {
    axis.labels.push_back(format_tick(axis.ticks[i], size, largest));
  }
  return axis;
}

Axis make_log_axis(double lo, double hi) {
  check_log_range("make_log_axis", lo, hi);
  if (hi <= lo * (1 + 1e-12)) {
    lo /= 2;  // one value only: show it between half and double
    hi *= 2;
  }
  Axis axis;
  axis.log = true;
  // Widen to the nearest 1, 2 or 5 times a power of ten outside [lo, hi].
  const std::vector<double> below = one_two_five_near(lo);
  axis.lo = below.front();
  for (std::size_t i = 0; i < below.size(); ++i) {
    if (below[i] <= lo * (1 + kSlack)) axis.lo = below[i];
  }
  const std::vector<double> above = one_two_five_near(hi);
  axis.hi = above.back();
  for (std::size_t i = above.size(); i-- > 0;) {
    if (above[i] >= hi * (1 - kSlack)) axis.hi = above[i];
  }
  axis.ticks = log_ticks(axis.lo, axis.hi);
  for (std::size_t i = 0; i < axis.ticks.size(); ++i) {
    axis.labels.push_back(format_log_tick(axis.ticks[i]));
  }
  return axis;
}

}  // namespace embedlab::viz
