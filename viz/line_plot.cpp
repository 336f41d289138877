/// @file line_plot.cpp
/// @brief `LinePlot` and `smooth` (see line_plot.h).
#include "viz/line_plot.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include <fmt/format.h>

#include "tensor/error.h"
#include "viz/frame.h"

namespace embedlab::viz {

std::vector<double> smooth(const std::vector<double>& ys, std::size_t window) {
  if (window == 0) throw ValueError("smooth: window must be at least 1, got 0");
  // A running sum over the window: add the value entering, subtract the one leaving.
  // Non-finite values are not added, so one NaN does not spoil a whole window.
  std::vector<double> out(ys.size());
  double sum = 0;
  std::size_t count = 0;
  for (std::size_t i = 0; i < ys.size(); ++i) {
    if (std::isfinite(ys[i])) {
      sum += ys[i];
      ++count;
    }
    if (i >= window && std::isfinite(ys[i - window])) {
      sum -= ys[i - window];
      --count;
    }
    out[i] =
        count > 0 ? sum / static_cast<double>(count) : std::numeric_limits<double>::quiet_NaN();
  }
  return out;
}

LinePlot::LinePlot(std::string title, std::string x_label, std::string y_label)
    : title_(std::move(title)), x_label_(std::move(x_label)), y_label_(std::move(y_label)) {}

void LinePlot::add_series(const std::string& name, std::vector<double> xs, std::vector<double> ys) {
  if (xs.empty() || ys.empty()) {
    throw ValueError(fmt::format("LinePlot \"{}\": series \"{}\" is empty", title_, name));
  }
  if (xs.size() != ys.size()) {
    throw ValueError(fmt::format("LinePlot \"{}\": series \"{}\" has {} x values but {} y values",
                                 title_, name, xs.size(), ys.size()));
  }
  series_.push_back({name, std::move(xs), std::move(ys)});
}

void LinePlot::add_series(const std::string& name, std::vector<double> ys) {
  std::vector<double> xs(ys.size());
  for (std::size_t i = 0; i < xs.size(); ++i)
    xs[i] = static_cast<double>(i);
  add_series(name, std::move(xs), std::move(ys));
}

namespace {

// The points of every series that can be drawn, how many were left out and why, and the
// legend entry of each series.
struct Drawable {
  std::vector<std::vector<double>> xs;
  std::vector<std::vector<double>> ys;
  std::vector<LegendEntry> legend;
  std::size_t not_finite = 0;
  std::size_t not_positive = 0;
};

std::string skipped_note(const Drawable& d) {
  std::string note;
  if (d.not_finite > 0) {
    note =
        fmt::format("{} point{} skipped (NaN or Inf)", d.not_finite, d.not_finite == 1 ? "" : "s");
  }
  if (d.not_positive > 0) {
    if (!note.empty()) note += "; ";
    note += fmt::format("{} point{} skipped (<= 0 on a log axis)", d.not_positive,
                        d.not_positive == 1 ? "" : "s");
  }
  return note;
}

// Smallest and largest of all values in `lists`; {empty_lo, empty_hi} when there are none.
std::pair<double, double> range_of(const std::vector<std::vector<double>>& lists, double empty_lo,
                                   double empty_hi) {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  for (std::size_t s = 0; s < lists.size(); ++s) {
    for (std::size_t i = 0; i < lists[s].size(); ++i) {
      lo = std::min(lo, lists[s][i]);
      hi = std::max(hi, lists[s][i]);
    }
  }
  if (lo > hi) return {empty_lo, empty_hi};
  return {lo, hi};
}

// Appends the drawable points of one series as a new list in `d`; counts the others.
void keep_drawable(const std::string& name, const std::vector<double>& xs,
                   const std::vector<double>& ys, bool log_y, Drawable& d) {
  d.legend.push_back({name, palette_colour(d.xs.size()), true});
  d.xs.emplace_back();
  d.ys.emplace_back();
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (!std::isfinite(xs[i]) || !std::isfinite(ys[i])) {
      ++d.not_finite;
    } else if (log_y && ys[i] <= 0) {
      ++d.not_positive;
    } else {
      d.xs.back().push_back(xs[i]);
      d.ys.back().push_back(ys[i]);
    }
  }
}

// One series: a polyline through its points, plus dots when there are few enough to see.
void draw_series(SvgWriter& svg, const PlotArea& area, const Axis& x_axis, const Axis& y_axis,
                 const std::vector<double>& xs, const std::vector<double>& ys,
                 const std::string& colour) {
  svg.begin_group("series");
  std::vector<PixelPoint> points(xs.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    points[i] = to_pixel(area, x_axis, y_axis, xs[i], ys[i]);
  }
  svg.polyline(points, colour, 2);
  if (points.size() <= 30) {
    for (std::size_t i = 0; i < points.size(); ++i)
      svg.circle(points[i].x, points[i].y, 3, colour);
  }
  svg.end_group();
}

}  // namespace

std::string LinePlot::to_svg(int width, int height) const {
  check_picture_size(fmt::format("LinePlot \"{}\"", title_), width, height);
  if (series_.empty()) {
    throw ValueError(
        fmt::format("LinePlot \"{}\": no series to draw; call add_series first", title_));
  }
  // Phase 1: keep the points that can be drawn; count the others for the subtitle. With
  // auto_y_, the finite values decide between a log and a linear axis.
  bool log_y = log_y_;
  std::string scale_note;
  if (auto_y_ && !log_y_) {
    Drawable all;
    for (std::size_t s = 0; s < series_.size(); ++s)
      keep_drawable(series_[s].name, series_[s].xs, series_[s].ys, false, all);
    const auto [lo, hi] = range_of(all.ys, 0, 0);
    log_y = lo > 0 && hi >= kAutoLogRatio * lo;
    scale_note = log_y ? fmt::format("log y axis: the values span {:.1f}x", hi / lo)
                       : "y axis zoomed to the values (it does not start at 0)";
  }
  Drawable d;
  for (std::size_t s = 0; s < series_.size(); ++s) {
    keep_drawable(series_[s].name, series_[s].xs, series_[s].ys, log_y, d);
  }
  // Phase 2: the header and legend; below them, axes that hold every drawable point, with
  // as many ticks as the pixels allow.
  SvgWriter svg(width, height);
  svg.rect(0, 0, width, height, "#ffffff");
  std::string note = skipped_note(d);
  if (!scale_note.empty()) note = note.empty() ? scale_note : note + "; " + scale_note;
  const double top = draw_header(svg, width, title_, note, d.legend);
  const auto [x_lo, x_hi] = range_of(d.xs, 0, 1);
  const auto [y_lo, y_hi] = range_of(d.ys, log_y ? 0.1 : 0, 1);
  const int y_intervals = intervals_for(area_height_below(top, height), kPixelsPerYInterval);
  const Axis y_axis =
      log_y ? make_log_axis(y_lo, y_hi) : make_linear_axis(y_lo, y_hi, true, y_intervals);
  const PlotArea area = area_for(y_axis, width, height, top);
  const Axis x_axis =
      make_linear_axis(x_lo, x_hi, true, intervals_for(area.width, kPixelsPerXInterval));
  draw_axes(svg, area, x_axis, y_axis, x_label_, y_label_);
  // Phase 3: the curves, in the order they were added.
  for (std::size_t s = 0; s < series_.size(); ++s) {
    draw_series(svg, area, x_axis, y_axis, d.xs[s], d.ys[s], palette_colour(s));
  }
  return svg.finish();
}

void LinePlot::save(const std::string& path, int width, int height) const {
  save_text_atomically(path, to_svg(width, height));
}

}  // namespace embedlab::viz
