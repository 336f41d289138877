/// @file line_plot.h
/// @brief `LinePlot`: loss curves as an SVG picture, and `smooth`, a moving average for noisy
/// curves.
///
/// One plot holds any number of named series (train loss, eval loss, ...), each a list of
/// (x, y) points drawn as one line. Points that are NaN or infinite, which a diverging training
/// run produces, are left out and counted in the subtitle instead of breaking the picture.
/// This file leaves out interaction and bitmaps: the output is a plain SVG text file.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace embedlab::viz {

/// Returns the trailing moving average of `ys`: item i is the mean of the finite values among
/// ys[i - window + 1 .. i] (fewer at the start), or NaN when there are none.
/// The result has the same length as `ys`, so it can be plotted against the same xs.
/// @code
/// smooth({1, 2, 3, 4}, 2);  // 1, 1.5, 2.5, 3.5
/// @endcode
/// @throws ValueError when window is 0.
std::vector<double> smooth(const std::vector<double>& ys, std::size_t window);

/// A line chart of one or more named series, with nice axis ticks, grid lines and a legend.
/// @code
/// LinePlot plot("Training loss", "step", "loss");
/// plot.add_series("train", {0, 1, 2, 3}, {2.3, 1.7, 1.2, 1.0});
/// plot.add_series("eval", {0, 3}, {2.4, 1.3});
/// plot.set_auto_y(true);  // log y here: the loss spans 2.4 / 1.0 = 2.4x < 4, so linear
/// plot.save("loss.svg");  // open it in a browser
/// @endcode
class LinePlot {
 public:
  /// Starts an empty plot with a title and the names of the x and y axes.
  LinePlot(std::string title, std::string x_label, std::string y_label);

  /// Adds a series drawn as one line through the points (xs[i], ys[i]).
  /// @throws ValueError when the series is empty or xs and ys differ in length (the message
  /// names the series).
  void add_series(const std::string& name, std::vector<double> xs, std::vector<double> ys);
  /// Adds a series whose x values are 0, 1, 2, ... (the index of each y).
  /// @throws ValueError when ys is empty.
  void add_series(const std::string& name, std::vector<double> ys);

  /// Chooses a logarithmic y axis (on: values <= 0 are then skipped and counted).
  void set_log_y(bool log_y) { log_y_ = log_y; }
  /// Lets the data choose the y scale, so the part where learning happens stays visible: when
  /// every value is > 0 and the largest is at least `kAutoLogRatio` times the smallest (a loss
  /// that falls fast, then slowly), the y axis is logarithmic, so each halving of the loss gets
  /// the same height and the slow late part is not squashed flat; otherwise it is linear and
  /// spans only the values drawn (not down to 0). The subtitle says which was chosen and why.
  void set_auto_y(bool auto_y) { auto_y_ = auto_y; }
  /// The spread (largest / smallest value) from which set_auto_y() picks a log axis.
  static constexpr double kAutoLogRatio = 4.0;
  /// Returns the number of series added so far.
  std::size_t num_series() const { return series_.size(); }

  /// Returns the picture as SVG text of `width` x `height` pixels.
  /// @throws ValueError when no series was added or the size is below 200 x 150.
  std::string to_svg(int width = 640, int height = 400) const;
  /// Writes the picture to `path` (the file is replaced in one step, never left half written).
  /// @throws ValueError like to_svg; IOError naming `path` when it cannot be written.
  void save(const std::string& path, int width = 640, int height = 400) const;

 private:
  struct Series {
    std::string name;
    std::vector<double> xs;
    std::vector<double> ys;
  };

  std::string title_;
  std::string x_label_;
  std::string y_label_;
  std::vector<Series> series_;
  bool log_y_ = false;
  bool auto_y_ = false;
};

}  // namespace embedlab::viz
