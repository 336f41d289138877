/// @file scatter_map.cpp
/// @brief `ScatterMap` (see scatter_map.h).
#include "viz/scatter_map.h"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <utility>

#include <fmt/format.h>

#include "tensor/error.h"
#include "viz/frame.h"
#include "viz/label_layout.h"

namespace embedlab::viz {

ScatterMap::ScatterMap(std::string title) : title_(std::move(title)) {}

void ScatterMap::add_point(double x, double y, std::string label, std::string group) {
  if (!std::isfinite(x) || !std::isfinite(y)) {
    throw ValueError(
        fmt::format("ScatterMap \"{}\": point \"{}\" has non-finite coordinates "
                    "({}, {})",
                    title_, label, x, y));
  }
  std::size_t index = 0;
  while (index < groups_.size() && groups_[index] != group)
    ++index;
  if (index == groups_.size()) groups_.push_back(std::move(group));
  points_.push_back({x, y, std::move(label), index});
}

void ScatterMap::set_axis_labels(std::string x_label, std::string y_label) {
  x_label_ = std::move(x_label);
  y_label_ = std::move(y_label);
}

namespace {

constexpr double kDotRadius = 3.5;
constexpr double kLabelSize = 12;

// The data ranges shown along x and y.
struct Ranges {
  double x_lo = 0;
  double x_hi = 0;
  double y_lo = 0;
  double y_hi = 0;
};

// Smallest and largest of `values`, moved out by 8% of the span so no dot sits on the frame.
std::pair<double, double> padded(const std::vector<double>& values) {
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  const double span = *hi - *lo;
  const double magnitude = std::max(std::fabs(*lo), std::fabs(*hi));
  const double pad = span > 0 ? span * 0.08 : (magnitude > 0 ? magnitude * 0.1 : 1.0);
  return {*lo - pad, *hi + pad};
}

// Stretches the shorter range around its centre so that one data unit takes as many pixels
// along x as along y; then circles stay circles and distances can be compared by eye.
Ranges equalised(Ranges r, double width_px, double height_px) {
  const double units_per_px = std::max((r.x_hi - r.x_lo) / width_px, (r.y_hi - r.y_lo) / height_px);
  const double x_mid = (r.x_lo + r.x_hi) / 2;
  const double y_mid = (r.y_lo + r.y_hi) / 2;
  r.x_lo = x_mid - units_per_px * width_px / 2;
  r.x_hi = x_mid + units_per_px * width_px / 2;
  r.y_lo = y_mid - units_per_px * height_px / 2;
  r.y_hi = y_mid + units_per_px * height_px / 2;
  return r;
}

// Darker lines where x = 0 and y = 0, when zero is in view: the origin matters for vectors.
void draw_zero_lines(SvgWriter& svg, const PlotArea& area, const Axis& x_axis, const Axis& y_axis) {
  const PixelPoint origin = to_pixel(area, x_axis, y_axis, 0, 0);
  if (x_axis.lo < 0 && x_axis.hi > 0) {
    svg.line(origin.x, area.top, origin.x, area.top + area.height, "#555555", 1.2);
  }
  if (y_axis.lo < 0 && y_axis.hi > 0) {
    svg.line(area.left, origin.y, area.left + area.width, origin.y, "#555555", 1.2);
  }
}

// What is drawn for each point, in the order the points were added.
struct Layers {
  std::vector<double> xs;
  std::vector<double> ys;
  std::vector<std::string> labels;
  std::vector<std::string> colours;
};

// The axes and the pixel area they span.
struct Frame {
  Axis x_axis;
  Axis y_axis;
  PlotArea area;
};

// Picks axes around the points, y first: its tick labels set the left margin, which sets the
// width along x. With equal aspect the ranges depend on the area in turn; two or three rounds
// settle it.
Frame choose_frame(const Layers& layers, bool equal_aspect, int width, int height, double top) {
  Ranges ranges;
  std::tie(ranges.x_lo, ranges.x_hi) = padded(layers.xs);
  std::tie(ranges.y_lo, ranges.y_hi) = padded(layers.ys);
  const int y_intervals = intervals_for(area_height_below(top, height), kPixelsPerYInterval);
  Frame frame;
  frame.y_axis = make_linear_axis(ranges.y_lo, ranges.y_hi, false, y_intervals);
  frame.area = area_for(frame.y_axis, width, height, top);
  int x_intervals = intervals_for(frame.area.width, kPixelsPerXInterval);
  frame.x_axis = make_linear_axis(ranges.x_lo, ranges.x_hi, false, x_intervals);
  for (int round = 0; equal_aspect && round < 3; ++round) {
    const Ranges r = equalised(ranges, frame.area.width, frame.area.height);
    frame.y_axis = make_linear_axis(r.y_lo, r.y_hi, false, y_intervals);
    const double old_left = frame.area.left;
    frame.area = area_for(frame.y_axis, width, height, top);
    x_intervals = intervals_for(frame.area.width, kPixelsPerXInterval);
    frame.x_axis = make_linear_axis(r.x_lo, r.x_hi, false, x_intervals);
    if (frame.area.left == old_left) break;
  }
  return frame;
}

// The dots, then the labels (nudged apart) on top of everything.
void draw_points(SvgWriter& svg, const Frame& frame, const Layers& layers) {
  std::vector<PixelPoint> pixels(layers.xs.size());
  svg.begin_group("points");
  for (std::size_t i = 0; i < pixels.size(); ++i) {
    pixels[i] = to_pixel(frame.area, frame.x_axis, frame.y_axis, layers.xs[i], layers.ys[i]);
    svg.circle(pixels[i].x, pixels[i].y, kDotRadius, layers.colours[i], "#ffffff");
  }
  svg.end_group();
  const std::vector<PlacedLabel> placed =
      place_labels(pixels, layers.labels, frame.area, kLabelSize, kDotRadius);
  svg.begin_group("labels");
  for (std::size_t i = 0; i < placed.size(); ++i) {
    if (layers.labels[i].empty()) continue;
    svg.text(placed[i].x, placed[i].baseline, layers.labels[i], {.size = kLabelSize, .halo = true});
  }
  svg.end_group();
}

}  // namespace

std::string ScatterMap::to_svg(int width, int height) const {
  check_picture_size(fmt::format("ScatterMap \"{}\"", title_), width, height);
  if (points_.empty()) {
    throw ValueError(
        fmt::format("ScatterMap \"{}\": no points to draw; call add_point first", title_));
  }
  Layers layers;
  for (std::size_t i = 0; i < points_.size(); ++i) {
    layers.xs.push_back(points_[i].x);
    layers.ys.push_back(points_[i].y);
    layers.labels.push_back(points_[i].label);
    layers.colours.push_back(palette_colour(points_[i].group));
  }
  // Phase 1: header and legend (one entry per group, when there are two or more groups).
  SvgWriter svg(width, height);
  svg.rect(0, 0, width, height, "#ffffff");
  std::vector<LegendEntry> legend;
  for (std::size_t g = 0; groups_.size() >= 2 && g < groups_.size(); ++g) {
    legend.push_back({groups_[g].empty() ? "(no group)" : groups_[g], palette_colour(g), false});
  }
  const std::string note = points_.size() > kMaxPointsToNudge
                               ? fmt::format("{} points: labels not nudged apart (more than {})",
                                             points_.size(), kMaxPointsToNudge)
                               : "";
  const double top = draw_header(svg, width, title_, note, legend);
  // Phase 2: axes and frame; phase 3: dots and labels.
  const Frame frame = choose_frame(layers, equal_aspect_, width, height, top);
  draw_axes(svg, frame.area, frame.x_axis, frame.y_axis, x_label_, y_label_);
  draw_zero_lines(svg, frame.area, frame.x_axis, frame.y_axis);
  draw_points(svg, frame, layers);
  return svg.finish();
}

void ScatterMap::save(const std::string& path, int width, int height) const {
  save_text_atomically(path, to_svg(width, height));
}

}  // namespace embedlab::viz
