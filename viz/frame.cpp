/// @file frame.cpp
/// @brief Title, legend, grid and axis labels shared by every plot (see frame.h).
#include "viz/frame.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "tensor/error.h"

namespace embedlab::viz {

namespace {

// Sizes in pixels; one place to change the look of every plot.
constexpr double kTitleSize = 16;
constexpr double kTextSize = 12;
constexpr double kTickSize = 11;
constexpr double kSwatchWidth = 20;
constexpr double kLegendGap = 18;  // space between two legend entries
constexpr const char* kGreyText = "#666666";
constexpr const char* kGridColour = "#e6e6e6";
constexpr const char* kFrameColour = "#888888";

double legend_entry_width(const LegendEntry& entry) {
  return kSwatchWidth + 6 + estimate_text_width(entry.name, kTextSize) + kLegendGap;
}

void draw_legend_entry(SvgWriter& svg, double x, double baseline, const LegendEntry& entry) {
  const double middle = baseline - 4;  // the swatch sits at the height of lowercase letters
  if (entry.as_line) {
    svg.line(x, middle, x + kSwatchWidth, middle, entry.colour, 3);
  } else {
    svg.circle(x + kSwatchWidth / 2, middle, 4.5, entry.colour);
  }
  svg.text(x + kSwatchWidth + 6, baseline, entry.name, {.size = kTextSize});
}

// Packs the legend into centred rows as wide as the picture; returns the last row's baseline.
double draw_legend(SvgWriter& svg, double width, double baseline,
                   const std::vector<LegendEntry>& legend) {
  const double usable = width - 32;
  std::size_t first = 0;
  while (first < legend.size()) {
    // Phase 1: take entries while they fit (a row always takes at least one).
    double row_width = 0;
    std::size_t end = first;
    while (end < legend.size()) {
      const double entry_width = legend_entry_width(legend[end]);
      if (end > first && row_width + entry_width - kLegendGap > usable) break;
      row_width += entry_width;
      ++end;
    }
    // Phase 2: draw the row centred (the last entry's trailing gap does not count).
    double x = (width - (row_width - kLegendGap)) / 2;
    for (std::size_t i = first; i < end; ++i) {
      draw_legend_entry(svg, x, baseline, legend[i]);
      x += legend_entry_width(legend[i]);
    }
    first = end;
    if (first < legend.size()) baseline += 18;
  }
  return baseline;
}

}  // namespace

PixelPoint to_pixel(const PlotArea& area, const Axis& x_axis, const Axis& y_axis, double x,
                    double y) {
  // SVG's y grows downwards, so the largest value sits at the top of the area.
  return {area.left + x_axis.fraction(x) * area.width,
          area.top + (1 - y_axis.fraction(y)) * area.height};
}

double draw_header(SvgWriter& svg, double width, const std::string& title,
                   const std::string& subtitle, const std::vector<LegendEntry>& legend) {
  svg.begin_group("header");
  double baseline = 26;
  svg.text(width / 2, baseline, title, {.size = kTitleSize, .anchor = "middle", .bold = true});
  if (!subtitle.empty()) {
    baseline += 18;
    svg.text(width / 2, baseline, subtitle,
             {.size = kTextSize, .anchor = "middle", .fill = kGreyText});
  }
  if (!legend.empty()) baseline = draw_legend(svg, width, baseline + 22, legend);
  svg.end_group();
  return baseline + 16;
}

void check_picture_size(const std::string& what, int width, int height) {
  if (width < 200 || height < 150) {
    throw ValueError(fmt::format("{}: size {} x {} is too small (need at least 200 x 150)", what,
                                 width, height));
  }
}

double left_margin_for(const Axis& y_axis) {
  double widest = 0;
  for (std::size_t i = 0; i < y_axis.labels.size(); ++i) {
    widest = std::max(widest, estimate_text_width(y_axis.labels[i], kTickSize));
  }
  // tick label, a gap, then the rotated y label
  return widest + 36;
}

double area_height_below(double top, double picture_height) {
  return std::max(40.0, picture_height - top - 50);
}

PlotArea area_for(const Axis& y_axis, double width, double height, double top) {
  PlotArea area;
  area.left = left_margin_for(y_axis);
  area.top = top;
  area.width = std::max(40.0, width - area.left - 24);
  area.height = area_height_below(top, height);
  return area;
}

int intervals_for(double pixels, double pixels_per_interval) {
  const auto intervals = static_cast<int>(std::lround(pixels / pixels_per_interval));
  return std::clamp(intervals, 2, 10);
}

void draw_axes(SvgWriter& svg, const PlotArea& area, const Axis& x_axis, const Axis& y_axis,
               const std::string& x_label, const std::string& y_label) {
  const double right = area.left + area.width;
  const double bottom = area.top + area.height;
  const TextStyle x_tick_style{.size = kTickSize, .anchor = "middle", .fill = "#444444"};
  const TextStyle y_tick_style{.size = kTickSize, .anchor = "end", .fill = "#444444"};
  svg.begin_group("axes");
  // Phase 1: grid lines, tick marks and tick labels along x, then along y.
  for (std::size_t i = 0; i < x_axis.ticks.size(); ++i) {
    const double x = to_pixel(area, x_axis, y_axis, x_axis.ticks[i], y_axis.lo).x;
    svg.line(x, area.top, x, bottom, kGridColour);
    svg.line(x, bottom, x, bottom + 4, kFrameColour);
    svg.text(x, bottom + 17, x_axis.labels[i], x_tick_style);
  }
  for (std::size_t i = 0; i < y_axis.ticks.size(); ++i) {
    const double y = to_pixel(area, x_axis, y_axis, x_axis.lo, y_axis.ticks[i]).y;
    svg.line(area.left, y, right, y, kGridColour);
    svg.line(area.left - 4, y, area.left, y, kFrameColour);
    svg.text(area.left - 7, y + 4, y_axis.labels[i], y_tick_style);
  }
  // Phase 2: the frame and the two axis labels.
  svg.rect(area.left, area.top, area.width, area.height, "none", kFrameColour, 1);
  if (!x_label.empty()) {
    svg.text(area.left + area.width / 2, bottom + 38, x_label,
             {.size = kTextSize, .anchor = "middle"});
  }
  if (!y_label.empty()) {
    svg.text(18, area.top + area.height / 2, y_label,
             {.size = kTextSize, .anchor = "middle", .rotate = -90});
  }
  svg.end_group();
}

}  // namespace embedlab::viz
