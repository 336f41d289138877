/// @file frame.h
/// @brief The frame every plot shares: title, legend, grid lines, tick labels, axis labels,
/// and the mapping from data values to pixels.
///
/// A plot picks its axes (axes.h), asks `draw_header` where the data area may start, then
/// draws its own curves or points inside the `PlotArea`.
#pragma once

#include <string>
#include <vector>

#include "viz/axes.h"
#include "viz/svg.h"

namespace embedlab::viz {

/// The rectangle, in pixels, where data is drawn.
struct PlotArea {
  double left = 0;    ///< Pixels from the left edge of the picture.
  double top = 0;     ///< Pixels from the top edge of the picture.
  double width = 0;   ///< Width in pixels.
  double height = 0;  ///< Height in pixels.
};

/// Returns the pixel where the data point (x, y) is drawn inside `area`.
PixelPoint to_pixel(const PlotArea& area, const Axis& x_axis, const Axis& y_axis, double x,
                    double y);

/// One line of a legend: a colour swatch and a name.
struct LegendEntry {
  std::string name;     ///< The series or group name shown.
  std::string colour;   ///< The colour of its swatch.
  bool as_line = true;  ///< A short line (for curves) or a dot (for points).
};

/// Draws the title, an optional grey subtitle and the legend in rows under them, and returns
/// the y pixel where the area for data may start; the legend never covers the data.
double draw_header(SvgWriter& svg, double width, const std::string& title,
                   const std::string& subtitle, const std::vector<LegendEntry>& legend);

/// Checks that a picture is at least 200 x 150 pixels, enough for a title, axes and some data.
/// @throws ValueError naming `what` (such as `LinePlot "Loss"`) and the size otherwise.
void check_picture_size(const std::string& what, int width, int height);

/// Returns the pixels needed left of the plot area for the y tick labels and the y label.
double left_margin_for(const Axis& y_axis);

/// Returns the height left for data in a picture `picture_height` pixels high whose header
/// ends at `top` (50 pixels stay free below for the x tick labels and x label; at least 40).
double area_height_below(double top, double picture_height);

/// Returns the area for data: below the header ending at `top`, right of the y tick labels of
/// `y_axis`, with room for the x labels below.
PlotArea area_for(const Axis& y_axis, double width, double height, double top);

/// Pixels per tick interval along x: wide enough for labels such as "10000".
inline constexpr double kPixelsPerXInterval = 100;
/// Pixels per tick interval along y, where labels sit one above the other.
inline constexpr double kPixelsPerYInterval = 55;

/// Returns how many tick intervals suit an axis `pixels` long: one per `pixels_per_interval`,
/// but never fewer than 2 or more than 10.
int intervals_for(double pixels, double pixels_per_interval);

/// Draws the grid lines, the tick labels, the frame around `area` and both axis labels.
void draw_axes(SvgWriter& svg, const PlotArea& area, const Axis& x_axis, const Axis& y_axis,
               const std::string& x_label, const std::string& y_label);

}  // namespace embedlab::viz
