/// @file label_layout.h
/// @brief `place_labels`: puts a text label next to each point of a scatter map so that labels
/// overlap each other and the points as little as a cheap greedy search can manage.
///
/// Each label tries eight spots around its point (right first, then left, above, below and the
/// four corners) and keeps the first spot that touches nothing placed before it, or else the
/// spot with the least overlap. Labels are placed in the order of the points, so the earlier
/// points win. This is not an optimal layout; it is one that a learner can follow in gdb.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "viz/frame.h"
#include "viz/svg.h"

namespace embedlab::viz {

/// Above this many points `place_labels` puts every label to the right of its point without
/// searching, since the search costs time proportional to the number of points squared.
inline constexpr std::size_t kMaxPointsToNudge = 1500;

/// A rectangle in pixels, from (x0, y0) at the top left to (x1, y1) at the bottom right.
struct Box {
  double x0 = 0;  ///< Left edge.
  double y0 = 0;  ///< Top edge.
  double x1 = 0;  ///< Right edge.
  double y1 = 0;  ///< Bottom edge.
};

/// Returns the area shared by two boxes (0 when they do not touch).
double overlap_area(const Box& a, const Box& b);

/// Where a label was put: the start of its text and its baseline, plus the box it covers.
struct PlacedLabel {
  double x = 0;         ///< x of the start of the text (text-anchor "start").
  double baseline = 0;  ///< y of the text baseline.
  Box box;              ///< The pixels the text covers (estimated).
};

/// Chooses a place for `labels[i]` next to `points[i]` for every i, inside `area` when possible.
/// `font_size` is the label size and `point_radius` the radius of the dots, in pixels.
/// @throws ValueError when points and labels differ in length.
std::vector<PlacedLabel> place_labels(const std::vector<PixelPoint>& points,
                                      const std::vector<std::string>& labels, const PlotArea& area,
                                      double font_size, double point_radius);

}  // namespace embedlab::viz
