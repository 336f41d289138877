/// @file scatter_map.h
/// @brief `ScatterMap`: the 2-D map of word vectors, as an SVG picture with a label next to
/// each point.
///
/// Word vectors have D dimensions; after PCA (or any projection) to two, each word is a point
/// (x, y). The map colours points by group (say, animals and fruits), draws the axes through 0
/// and nudges labels apart so that neighbouring words stay readable. Labels may be Chinese
/// (猫, 狗): the picture asks for CJK fonts (see `kFontFamily` in svg.h).
/// This file leaves out the projection itself.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace embedlab::viz {

/// A scatter plot of labelled 2-D points, coloured by group.
/// @code
/// ScatterMap map("Word vectors, PCA to 2-D");
/// map.add_point(0.8, 0.1, "猫", "animal");
/// map.add_point(0.7, 0.2, "狗", "animal");
/// map.add_point(-0.5, 0.6, "apple", "fruit");
/// map.set_equal_aspect(true);
/// map.save("map.svg");
/// @endcode
class ScatterMap {
 public:
  /// Starts an empty map with a title.
  explicit ScatterMap(std::string title);

  /// Adds the point (x, y) with its label (UTF-8) and optional group name.
  /// Points of one group share a colour; the legend lists the groups when there are two or more.
  /// @throws ValueError when x or y is NaN or infinite (the message names the label).
  void add_point(double x, double y, std::string label, std::string group = "");

  /// With `equal` on, one unit is as long on the x axis as on the y axis, so distances on the
  /// picture are true distances (off by default: each axis fills its side).
  void set_equal_aspect(bool equal) { equal_aspect_ = equal; }
  /// Names the axes, such as "PC 1" and "PC 2" (no names by default).
  void set_axis_labels(std::string x_label, std::string y_label);
  /// Returns the number of points added so far.
  std::size_t num_points() const { return points_.size(); }

  /// Returns the picture as SVG text of `width` x `height` pixels.
  /// @throws ValueError when no point was added or the size is below 200 x 150.
  std::string to_svg(int width = 640, int height = 640) const;
  /// Writes the picture to `path` (the file is replaced in one step, never left half written).
  /// @throws ValueError like to_svg; IOError naming `path` when it cannot be written.
  void save(const std::string& path, int width = 640, int height = 640) const;

 private:
  struct Point {
    double x = 0;
    double y = 0;
    std::string label;
    std::size_t group = 0;  // index into groups_
  };

  std::string title_;
  std::string x_label_;
  std::string y_label_;
  std::vector<Point> points_;
  std::vector<std::string> groups_;  // in order of first appearance
  bool equal_aspect_ = false;
};

}  // namespace embedlab::viz
