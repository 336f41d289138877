/// @file svg.h
/// @brief `SvgWriter`: a tiny helper that writes SVG shapes and text, plus a safe file save.
///
/// The plots of embedlab (`LinePlot` in line_plot.h, `ScatterMap` in scatter_map.h) are drawn
/// with these few calls. An SVG file is plain text, so a learner can open it in an editor and
/// see one `<polyline>` per curve. This file leaves out everything a plot needs to know about
/// data (ranges, ticks, legends); see axes.h for that.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace embedlab::viz {

/// The fonts asked for by every picture, so that Chinese labels such as 猫 render on Linux,
/// Windows and macOS alike; the last entry is the generic fallback.
inline constexpr const char* kFontFamily =
    "Noto Sans CJK SC, WenQuanYi Micro Hei, Source Han Sans SC, Microsoft YaHei, PingFang SC, "
    "sans-serif";

/// Replaces the five characters that are special in XML (& < > " ') by their entities.
/// Valid UTF-8, such as the three bytes of 猫, is kept as it is; bytes that an XML reader
/// would refuse (broken UTF-8, control characters other than tab and newline) become U+FFFD.
/// @code
/// escape_xml("a<b & \"c\"");  // a&lt;b &amp; &quot;c&quot;
/// @endcode
std::string escape_xml(std::string_view text);

/// Guesses how wide `text` is drawn, in pixels, at font size `font_size`.
/// A Latin character counts 0.55 em and a CJK character (3 or 4 UTF-8 bytes) 1 em; it is a
/// guess, good enough to place legends and nudge labels apart.
double estimate_text_width(std::string_view text, double font_size);

/// Returns the colour of series or group number `index`, cycling through ten distinct colours.
std::string palette_colour(std::size_t index);

/// Writes a number for an SVG attribute: at most two decimals, no trailing zeros (`12.5`, `3`).
std::string svg_number(double value);

/// One point of a picture, in pixels (y grows downwards, as in SVG).
struct PixelPoint {
  double x = 0;  ///< Pixels from the left edge.
  double y = 0;  ///< Pixels from the top edge.
};

/// How a piece of text is drawn.
struct TextStyle {
  double size = 12;              ///< Font size in pixels.
  std::string anchor = "start";  ///< Where `x` sits: "start", "middle" or "end".
  std::string fill = "#222222";  ///< Text colour.
  bool bold = false;             ///< Bold weight, for titles.
  double rotate = 0;             ///< Rotation in degrees around (x, y); -90 reads upwards.
  bool halo = false;             ///< A white outline, so the text stays readable over lines.
};

/// Collects SVG elements and returns the whole document as text.
/// @code
/// SvgWriter svg(200, 100);
/// svg.rect(0, 0, 200, 100, "#ffffff");
/// svg.text(100, 50, "猫 & 狗", TextStyle{.anchor = "middle"});
/// std::string doc = svg.finish();  // starts with <svg xmlns=...
/// @endcode
class SvgWriter {
 public:
  /// Starts a picture of `width` x `height` pixels.
  SvgWriter(double width, double height);

  /// Draws a rectangle; `stroke` "none" draws no border.
  void rect(double x, double y, double w, double h, std::string_view fill,
            std::string_view stroke = "none", double stroke_width = 0);
  /// Draws a straight line; a non-empty `dash` such as "4 3" makes it dashed.
  void line(double x1, double y1, double x2, double y2, std::string_view stroke,
            double stroke_width = 1, std::string_view dash = "");
  /// Draws a line through `points` in order, with no fill.
  void polyline(const std::vector<PixelPoint>& points, std::string_view stroke,
                double stroke_width = 1.5);
  /// Draws a filled circle of radius `r` centred at (cx, cy).
  void circle(double cx, double cy, double r, std::string_view fill,
              std::string_view stroke = "none");
  /// Draws `text` (escaped for XML) at (x, y) in `style`.
  void text(double x, double y, std::string_view text, const TextStyle& style = {});
  /// Opens a `<g>` group with a `class` name, so a reader of the file sees its parts.
  void begin_group(std::string_view class_name);
  /// Closes the group opened last.
  void end_group();

  /// Returns the complete document: the `<svg>` element with everything drawn so far.
  std::string finish() const;

 private:
  double width_;
  double height_;
  std::string body_;
  int open_groups_ = 0;
};

/// Writes `content` to `path` so that the file is never seen half written: the text goes to
/// a temporary file in the same folder, which is then renamed over `path`.
/// @throws IOError naming `path` when the folder is missing or the file cannot be written.
void save_text_atomically(const std::string& path, std::string_view content);

}  // namespace embedlab::viz
