/// @file label_layout.cpp
/// @brief The greedy label placement of scatter maps (see label_layout.h).
#include "viz/label_layout.h"

#include <algorithm>

#include <fmt/format.h>

#include "tensor/error.h"

namespace embedlab::viz {

double overlap_area(const Box& a, const Box& b) {
  const double width = std::min(a.x1, b.x1) - std::max(a.x0, b.x0);
  const double height = std::min(a.y1, b.y1) - std::max(a.y0, b.y0);
  if (width <= 0 || height <= 0) return 0;
  return width * height;
}

namespace {

constexpr int kNumSpots = 8;

// Spot `which` for a label `width` pixels wide next to the point `p`: 0 right, 1 left, 2 above,
// 3 below, then the corners upper right, lower right, upper left, lower left. Letters rise
// about 0.8 em above the baseline and drop 0.25 em below it.
PlacedLabel spot(const PixelPoint& p, int which, double width, double size, double radius) {
  const double ascent = 0.8 * size;
  const double descent = 0.25 * size;
  const double gap = radius + 3;
  const double centred = p.y + 0.35 * size;     // baseline that centres the letters on the point
  const double above = p.y - radius - descent;  // baseline of the upper corners
  const double below = p.y + radius + ascent;   // baseline of the lower corners
  const double xs[kNumSpots] = {
      p.x + gap,    p.x - gap - width, p.x - width / 2,      p.x - width / 2,
      p.x + radius, p.x + radius,      p.x - radius - width, p.x - radius - width};
  const double baselines[kNumSpots] = {
      centred, centred, p.y - gap - descent, p.y + gap + ascent, above, below, above, below};
  const double x = xs[which];
  const double baseline = baselines[which];
  return {x, baseline, {x, baseline - ascent, x + width, baseline + descent}};
}

// How bad a spot is: pixels shared with labels already placed and with dots, and pixels
// outside the plot area (counted twice: a clipped label is worse than a crowded one).
double badness(const Box& box, const std::vector<Box>& taken, const std::vector<Box>& dots,
               const Box& inside) {
  double total = 0;
  for (std::size_t i = 0; i < taken.size(); ++i)
    total += overlap_area(box, taken[i]);
  for (std::size_t i = 0; i < dots.size(); ++i)
    total += overlap_area(box, dots[i]);
  const double box_area = (box.x1 - box.x0) * (box.y1 - box.y0);
  total += 2 * (box_area - overlap_area(box, inside));
  return total;
}

}  // namespace

std::vector<PlacedLabel> place_labels(const std::vector<PixelPoint>& points,
                                      const std::vector<std::string>& labels, const PlotArea& area,
                                      double font_size, double point_radius) {
  if (points.size() != labels.size()) {
    throw ValueError(
        fmt::format("place_labels: {} points but {} labels", points.size(), labels.size()));
  }
  const bool search = points.size() <= kMaxPointsToNudge;
  const Box inside{area.left, area.top, area.left + area.width, area.top + area.height};
  std::vector<Box> dots(points.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    const PixelPoint& p = points[i];
    dots[i] = {p.x - point_radius, p.y - point_radius, p.x + point_radius, p.y + point_radius};
  }
  std::vector<Box> taken;
  std::vector<PlacedLabel> placed(points.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    const double width = estimate_text_width(labels[i], font_size);
    placed[i] = spot(points[i], 0, width, font_size, point_radius);
    if (labels[i].empty()) continue;  // nothing to draw, nothing to avoid
    // Try the spots in order; stop at the first that touches nothing.
    double best = search ? badness(placed[i].box, taken, dots, inside) : 0;
    for (int which = 1; which < kNumSpots && best > 0; ++which) {
      const PlacedLabel candidate = spot(points[i], which, width, font_size, point_radius);
      const double cost = badness(candidate.box, taken, dots, inside);
      if (cost < best) {
        best = cost;
        placed[i] = candidate;
      }
    }
    taken.push_back(placed[i].box);
  }
  return placed;
}

}  // namespace embedlab::viz
