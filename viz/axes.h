/// @file axes.h
/// @brief Axes for the plots: "nice" tick values (steps of 1, 2 or 5 times a power of ten)
/// and the range of data each axis shows.
///
/// Nothing here draws; frame.h draws the axes, and `LinePlot` and `ScatterMap` bring the data.
#pragma once

#include <string>
#include <vector>

namespace embedlab::viz {

/// Returns the tick values inside [lo, hi], spaced by 1, 2 or 5 times a power of ten, chosen
/// so that the range holds about `target_intervals` steps.
/// Each tick is computed as an integer times the step, so 0.2 is exactly the double 0.2.
/// @code
/// nice_ticks(0, 1);          // 0, 0.2, 0.4, 0.6, 0.8, 1
/// nice_ticks(0.013, 0.087);  // 0.02, 0.04, 0.06, 0.08
/// @endcode
/// @throws ValueError when lo or hi is not finite, lo > hi, or target_intervals < 1.
std::vector<double> nice_ticks(double lo, double hi, int target_intervals = 5);

/// Returns the tick values inside [lo, hi] for a logarithmic axis: powers of ten, and also
/// 2 and 5 times them when the range covers fewer than three decades.
/// @code
/// log_ticks(0.001, 10);  // 0.001, 0.01, 0.1, 1, 10
/// @endcode
/// @throws ValueError when lo <= 0, hi is not finite or lo > hi.
std::vector<double> log_ticks(double lo, double hi);

/// Writes a tick value with just as many decimals as the tick step needs (step 0.02: "0.04").
/// When the largest value on the axis reaches a million, values are written in M (millions),
/// G or T, so that 1500000 reads "1.5M" rather than "1500000" or "1.5e+06".
/// @code
/// format_tick(0.04, 0.02, 0.1);    // "0.04"
/// format_tick(2e7, 2e7, 1e8);      // "20M"
/// format_tick(1.5e6, 1e5, 1.6e6);  // "1.5M"
/// @endcode
std::string format_tick(double value, double step, double largest);

/// One axis of a plot: the range of data it shows and its labelled ticks.
struct Axis {
  double lo = 0;                    ///< Data value at the start (left or bottom).
  double hi = 1;                    ///< Data value at the end (right or top); hi > lo.
  bool log = false;                 ///< True for a logarithmic axis (then lo > 0).
  std::vector<double> ticks;        ///< Where the ticks and grid lines go, in data values.
  std::vector<std::string> labels;  ///< The text under each tick.

  /// Returns where `value` sits along the axis: 0 at `lo`, 1 at `hi` (log-spaced if `log`).
  double fraction(double value) const;
};

/// Makes a linear axis that shows [lo, hi] in about `target_intervals` tick steps. With
/// `widen`, the ends move out to the nearest ticks, so that [0.013, 0.087] becomes [0, 0.1].
/// A zero-width range (one point, or constant values) is first opened up around its value, so
/// the axis never divides by zero.
/// @throws ValueError when lo or hi is not finite, lo > hi, or target_intervals < 1.
Axis make_linear_axis(double lo, double hi, bool widen = true, int target_intervals = 5);

/// Makes a logarithmic axis that shows [lo, hi], its ends moved out to 1, 2 or 5 times a
/// power of ten.
/// @throws ValueError when lo <= 0, hi is not finite or lo > hi.
Axis make_log_axis(double lo, double hi);

}  // namespace embedlab::viz
