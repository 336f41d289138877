// Tests of viz/line_plot.h: the SVG of loss curves, NaN skipping, errors, smoothing, saving.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "tensor/error.h"
#include "viz/line_plot.h"
#include "viz/svg_check.h"

using namespace embedlab;
using namespace embedlab::viz;
using embedlab::viz::testing::count_of;
using embedlab::viz::testing::polylines;
using embedlab::viz::testing::tags_balanced;

namespace {
const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();
}  // namespace

TEST_CASE("LinePlot draws one polyline per series with a legend", "[viz][line_plot]") {
  LinePlot plot("Training loss", "step", "loss");
  plot.add_series("train", {0, 1, 2, 3, 4}, {4, 3, 2, 1, 0});
  plot.add_series("eval", {0, 2, 4}, {4, 2, 1});
  const std::string svg = plot.to_svg();

  SECTION("well formed, with the requested size") {
    REQUIRE(svg.rfind("<svg", 0) == 0);
    REQUIRE(tags_balanced(svg));
    REQUIRE(count_of(svg, R"(<svg xmlns="http://www.w3.org/2000/svg" width="640" height="400")") ==
            1);
  }
  SECTION("title, axis labels and legend names are present") {
    REQUIRE(count_of(svg, ">Training loss</text>") == 1);
    REQUIRE(count_of(svg, ">step</text>") == 1);
    REQUIRE(count_of(svg, ">loss</text>") == 1);
    REQUIRE(count_of(svg, ">train</text>") == 1);
    REQUIRE(count_of(svg, ">eval</text>") == 1);
  }
  SECTION("each series has its own colour and all its points") {
    const auto lines = polylines(svg);
    REQUIRE(lines.size() == 2);
    REQUIRE(lines[0].size() == 5);
    REQUIRE(lines[1].size() == 3);
    REQUIRE(count_of(svg, R"(<polyline points=")") == 2);
    REQUIRE(count_of(svg, R"(fill="none" stroke="#1f77b4")") == 1);
    REQUIRE(count_of(svg, R"(fill="none" stroke="#ff7f0e")") == 1);
  }
  SECTION("points land where the layout puts them") {
    // y tick labels "0".."4" are 6.05 px wide, so the area starts at 6.05 + 36 = 42.05;
    // it ends 24 px before the right edge (616). Title at 26, legend at 48, area from 64 down
    // to 400 - 50 = 350. Loss 4 at step 0 is the top left corner, loss 0 at step 4 the bottom
    // right one.
    const auto train = polylines(svg)[0];
    REQUIRE(train.front().first == Approx(42.05).margin(0.01));
    REQUIRE(train.front().second == Approx(64).margin(0.01));
    REQUIRE(train.back().first == Approx(616).margin(0.01));
    REQUIRE(train.back().second == Approx(350).margin(0.01));
    REQUIRE(train[2].second == Approx(207).margin(0.01));  // loss 2: halfway
  }
}

TEST_CASE("LinePlot escapes text and keeps Chinese labels", "[viz][line_plot]") {
  LinePlot plot("Loss <train> & \"eval\" 'x'", "步数", "损失");
  plot.add_series("训练", {0, 1}, {1, 0.5});
  const std::string svg = plot.to_svg();
  REQUIRE(tags_balanced(svg));
  REQUIRE(count_of(svg, "Loss &lt;train&gt; &amp; &quot;eval&quot; &apos;x&apos;") == 1);
  REQUIRE(count_of(svg, "<train>") == 0);
  REQUIRE(count_of(svg, ">训练</text>") == 1);
  REQUIRE(count_of(svg, ">步数</text>") == 1);
  REQUIRE(count_of(svg, "\xE6\x8D\x9F\xE5\xA4\xB1") == 1);  // the UTF-8 bytes of 损失
  REQUIRE(count_of(svg, "Noto Sans CJK SC") == 1);
}

TEST_CASE("LinePlot skips NaN and Inf points and says how many", "[viz][line_plot]") {
  LinePlot plot("Diverging run", "step", "loss");
  plot.add_series("train", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
                  {2.0, 1.5, kNaN, 1.2, kInf, 1.0, -kInf, 0.9, 0.8, 0.7});
  plot.add_series("eval", {0, kNaN, 9}, {2.1, 1.0, 0.9});
  const std::string svg = plot.to_svg();
  const auto lines = polylines(svg);
  REQUIRE(lines[0].size() == 7);  // 10 points, 3 not finite
  REQUIRE(lines[1].size() == 2);  // a NaN x counts too
  REQUIRE(count_of(svg, ">4 points skipped (NaN or Inf)</text>") == 1);
  REQUIRE(count_of(svg, "nan") == 0);
  REQUIRE(count_of(svg, "inf") == 0);
}

TEST_CASE("LinePlot on a log axis skips values <= 0", "[viz][line_plot]") {
  LinePlot plot("Loss", "step", "loss");
  plot.add_series("train", {0, 1, 2, 3}, {10, 1, 0, 0.1});
  plot.set_log_y(true);
  const std::string svg = plot.to_svg();
  REQUIRE(polylines(svg)[0].size() == 3);
  REQUIRE(count_of(svg, ">1 point skipped (&lt;= 0 on a log axis)</text>") == 1);
  REQUIRE(count_of(svg, ">0.1</text>") == 1);  // decade tick labels
  REQUIRE(count_of(svg, ">10</text>") == 1);
}

TEST_CASE("LinePlot with auto y picks a log axis for a fast-falling loss, else zooms",
          "[viz][line_plot]") {
  SECTION("4.0 down to 0.5 spans 8x >= 4x: a log axis with decade ticks, and the note says why") {
    LinePlot plot("Loss", "step", "loss");
    plot.add_series("train", {0, 1, 2, 3}, {4.0, 2.0, 1.0, 0.5});
    plot.set_auto_y(true);
    const std::string svg = plot.to_svg();
    REQUIRE(count_of(svg, ">log y axis: the values span 8.0x</text>") == 1);
    REQUIRE(count_of(svg, ">1</text>") == 1);  // a decade tick, which a linear axis lacks
    REQUIRE(polylines(svg)[0].size() == 4);
  }
  SECTION("0.70 down to 0.62 spans 1.1x: linear, from the values, not from 0") {
    LinePlot plot("Loss", "step", "loss");
    plot.add_series("train", {0, 1, 2}, {0.70, 0.66, 0.62});
    plot.set_auto_y(true);
    const std::string svg = plot.to_svg();
    REQUIRE(count_of(svg, ">y axis zoomed to the values (it does not start at 0)</text>") == 1);
    REQUIRE(count_of(svg, ">0</text>") == 0);
    REQUIRE(count_of(svg, ">0.6") >= 2);  // ticks such as 0.62, 0.64: the range of the data
  }
  SECTION("a value <= 0 keeps the axis linear") {
    LinePlot plot("Loss", "step", "loss");
    plot.add_series("train", {0, 1}, {10.0, 0.0});
    plot.set_auto_y(true);
    REQUIRE(count_of(plot.to_svg(), ">y axis zoomed to the values") == 1);
  }
}

TEST_CASE("LinePlot draws a single point and a constant series", "[viz][line_plot]") {
  SECTION("one point: a polyline of one point and a dot") {
    LinePlot plot("One", "step", "loss");
    plot.add_series("only", {3}, {0.5});
    const std::string svg = plot.to_svg();
    REQUIRE(polylines(svg)[0].size() == 1);
    REQUIRE(count_of(svg, "<circle") == 1);
    REQUIRE(count_of(svg, "nan") == 0);
  }
  SECTION("constant values: the y axis opens around them") {
    LinePlot plot("Flat", "step", "loss");
    plot.add_series("flat", {0, 1, 2, 3}, {0.25, 0.25, 0.25, 0.25});
    const std::string svg = plot.to_svg();
    const auto line = polylines(svg)[0];
    REQUIRE(line.size() == 4);
    REQUIRE(line[0].second == Approx(line[3].second).margin(1e-9));
    REQUIRE(count_of(svg, ">0.22</text>") == 1);
    REQUIRE(count_of(svg, ">0.28</text>") == 1);
  }
  SECTION("only NaN values: an empty frame with the note") {
    LinePlot plot("Lost", "step", "loss");
    plot.add_series("train", {0, 1}, {kNaN, kNaN});
    const std::string svg = plot.to_svg();
    REQUIRE(tags_balanced(svg));
    REQUIRE(polylines(svg)[0].empty());
    REQUIRE(count_of(svg, "2 points skipped") == 1);
  }
}

TEST_CASE("LinePlot refuses empty or mismatched series", "[viz][line_plot]") {
  LinePlot plot("Loss", "step", "loss");
  REQUIRE_THROWS_WITH(plot.to_svg(), Catch::Contains("no series to draw"));
  REQUIRE_THROWS_AS(plot.add_series("eval", {}, {}), ValueError);
  REQUIRE_THROWS_WITH(plot.add_series("eval", {}, {}), Catch::Contains("series \"eval\" is empty"));
  REQUIRE_THROWS_WITH(plot.add_series("dev", std::vector<double>{}),
                      Catch::Contains("series \"dev\" is empty"));
  REQUIRE_THROWS_WITH(plot.add_series("train", {0, 1, 2}, {1, 2}),
                      Catch::Contains("series \"train\" has 3 x values but 2 y values"));
  REQUIRE(plot.num_series() == 0);
  plot.add_series("train", {1.0, 0.5});
  REQUIRE_THROWS_WITH(plot.to_svg(100, 100), Catch::Contains("size 100 x 100 is too small"));
}

TEST_CASE("add_series without xs numbers the points from 0", "[viz][line_plot]") {
  LinePlot plot("Loss", "step", "loss");
  plot.add_series("train", {3, 2, 1});
  const auto line = polylines(plot.to_svg())[0];
  REQUIRE(line.size() == 3);
  REQUIRE(line[0].first < line[1].first);
  REQUIRE(line[0].second < line[2].second);  // the largest loss is drawn highest
}

TEST_CASE("smooth averages the last window values, skipping NaN", "[viz][line_plot]") {
  SECTION("window 2") {
    const std::vector<double> out = smooth({1, 2, 3, 4}, 2);
    REQUIRE(out == std::vector<double>{1, 1.5, 2.5, 3.5});
  }
  SECTION("window 3 over 5 values") {
    const std::vector<double> out = smooth({3, 0, 3, 6, 0}, 3);
    REQUIRE(out[0] == Approx(3).margin(1e-12));
    REQUIRE(out[1] == Approx(1.5).margin(1e-12));
    REQUIRE(out[2] == Approx(2).margin(1e-12));
    REQUIRE(out[3] == Approx(3).margin(1e-12));
    REQUIRE(out[4] == Approx(3).margin(1e-12));
  }
  SECTION("NaN values are left out of the mean") {
    const std::vector<double> out = smooth({1, kNaN, 3, kNaN, kNaN, kNaN}, 2);
    REQUIRE(out[1] == 1);
    REQUIRE(out[2] == 3);
    REQUIRE(out[3] == 3);
    REQUIRE(std::isnan(out[4]));  // no finite value in the window
    REQUIRE(std::isnan(out[5]));
  }
  SECTION("window 1 changes nothing; an empty list stays empty") {
    REQUIRE(smooth({5, 7}, 1) == std::vector<double>{5, 7});
    REQUIRE(smooth({}, 4).empty());
  }
  SECTION("window 0 is an error") {
    REQUIRE_THROWS_WITH(smooth({1, 2}, 0), Catch::Contains("window must be at least 1"));
  }
}

TEST_CASE("LinePlot::save writes the same text as to_svg", "[viz][line_plot][io]") {
  const auto folder = std::filesystem::temp_directory_path() / "embedlab_test_line_plot";
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  const std::string path = (folder / "loss.svg").string();
  LinePlot plot("Loss", "step", "loss");
  plot.add_series("train", {2.0, 1.0, 0.5});
  plot.save(path, 320, 200);
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  REQUIRE(text.str() == plot.to_svg(320, 200));
  REQUIRE(std::distance(std::filesystem::directory_iterator(folder),
                        std::filesystem::directory_iterator()) == 1);
  REQUIRE_THROWS_WITH(plot.save((folder / "missing" / "loss.svg").string()),
                      Catch::Contains("missing/loss.svg"));
  std::filesystem::remove_all(folder);
}
