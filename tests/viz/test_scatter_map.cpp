// Tests of viz/scatter_map.h and viz/label_layout.h: the 2-D map of word vectors.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "tensor/error.h"
#include "viz/label_layout.h"
#include "viz/scatter_map.h"
#include "viz/svg_check.h"

using namespace embedlab;
using namespace embedlab::viz;
using embedlab::viz::testing::circles;
using embedlab::viz::testing::count_of;
using embedlab::viz::testing::tags_balanced;

TEST_CASE("ScatterMap draws a dot and a label per point", "[viz][scatter]") {
  ScatterMap map("Word vectors, PCA to 2-D");
  map.add_point(0.8, 0.1, "猫", "animal");
  map.add_point(0.7, 0.2, "狗", "animal");
  map.add_point(-0.5, 0.6, "apple & pear", "fruit");
  map.add_point(-0.4, -0.3, "<unk>", "fruit");
  const std::string svg = map.to_svg(640, 480);

  SECTION("well formed") {
    REQUIRE(svg.rfind("<svg", 0) == 0);
    REQUIRE(tags_balanced(svg));
    REQUIRE(map.num_points() == 4);
  }
  SECTION("labels are escaped and Chinese bytes kept") {
    REQUIRE(count_of(svg, ">猫</text>") == 1);
    REQUIRE(count_of(svg, ">\xE7\x8B\x97</text>") == 1);  // 狗 in UTF-8
    REQUIRE(count_of(svg, ">apple &amp; pear</text>") == 1);
    REQUIRE(count_of(svg, ">&lt;unk&gt;</text>") == 1);
    REQUIRE(count_of(svg,
                     "font-family=\"Noto Sans CJK SC, WenQuanYi Micro Hei, Source Han Sans "
                     "SC, Microsoft YaHei, PingFang SC, sans-serif\"") == 1);
  }
  SECTION("two groups: two colours and a legend") {
    const std::size_t points_at = svg.find("<g class=\"points\">");
    REQUIRE(circles(svg, points_at).size() == 4);
    REQUIRE(circles(svg).size() == 6);  // two legend dots before them
    REQUIRE(count_of(svg, ">animal</text>") == 1);
    REQUIRE(count_of(svg, ">fruit</text>") == 1);
    REQUIRE(count_of(svg, R"(fill="#1f77b4" stroke="#ffffff")") == 2);
    REQUIRE(count_of(svg, R"(fill="#ff7f0e" stroke="#ffffff")") == 2);
  }
  SECTION("axis lines through 0 when zero is in view") {
    REQUIRE(count_of(svg, R"(stroke="#555555")") == 2);
  }
}

TEST_CASE("ScatterMap with one group has no legend", "[viz][scatter]") {
  ScatterMap map("Map");
  map.add_point(1, 1, "a");
  map.add_point(2, 3, "b");
  const std::string svg = map.to_svg();
  REQUIRE(circles(svg).size() == 2);
  REQUIRE(count_of(svg, "(no group)") == 0);
  REQUIRE(count_of(svg, R"(stroke="#555555")") == 0);  // zero is out of view: no zero lines
}

TEST_CASE("ScatterMap names the group-less points in a mixed legend", "[viz][scatter]") {
  ScatterMap map("Map");
  map.add_point(1, 1, "cat", "animal");
  map.add_point(2, 3, "the");
  REQUIRE(count_of(map.to_svg(), ">(no group)</text>") == 1);
}

TEST_CASE("ScatterMap with equal aspect gives one unit the same pixels on both axes",
          "[viz][scatter]") {
  ScatterMap map("Square");
  map.add_point(0, 0, "o");
  map.add_point(1, 0, "x");
  map.add_point(0, 0.5, "y");
  map.set_equal_aspect(true);
  const auto dots = circles(map.to_svg(800, 400));
  const double x_unit = dots[1].first - dots[0].first;
  const double y_unit = (dots[0].second - dots[2].second) / 0.5;
  REQUIRE(x_unit > 0);
  REQUIRE(y_unit == Approx(x_unit).margin(0.05));  // pixels are written with two decimals
}

TEST_CASE("ScatterMap draws a single point", "[viz][scatter]") {
  ScatterMap map("One");
  map.add_point(0, 0, "alone");
  const std::string svg = map.to_svg();
  REQUIRE(tags_balanced(svg));
  REQUIRE(circles(svg).size() == 1);
  REQUIRE(count_of(svg, "nan") == 0);
}

TEST_CASE("ScatterMap refuses bad points and empty maps", "[viz][scatter]") {
  ScatterMap map("Map");
  REQUIRE_THROWS_WITH(map.to_svg(), Catch::Contains("no points to draw"));
  REQUIRE_THROWS_AS(map.add_point(std::nan(""), 0, "猫"), ValueError);
  REQUIRE_THROWS_WITH(map.add_point(0, INFINITY, "狗"),
                      Catch::Contains("point \"狗\" has non-finite coordinates (0, inf)"));
  map.add_point(0, 0, "ok");
  REQUIRE_THROWS_WITH(map.to_svg(150, 640), Catch::Contains("too small"));
}

TEST_CASE("overlap_area measures the pixels two boxes share", "[viz][labels]") {
  REQUIRE(overlap_area({0, 0, 10, 10}, {5, 5, 15, 15}) == 25);
  REQUIRE(overlap_area({0, 0, 10, 10}, {10, 0, 20, 10}) == 0);  // touching edges share nothing
  REQUIRE(overlap_area({0, 0, 10, 10}, {20, 20, 30, 30}) == 0);
}

TEST_CASE("place_labels nudges labels of nearby points apart", "[viz][labels]") {
  const PlotArea area{0, 0, 400, 400};
  SECTION("a lone point keeps its label on the right, centred on the point") {
    const auto placed = place_labels({{100, 100}}, {"cat"}, area, 12, 3);
    REQUIRE(placed[0].x == Approx(106).margin(1e-9));           // radius 3 + gap 3
    REQUIRE(placed[0].baseline == Approx(104.2).margin(1e-9));  // 100 + 0.35 x 12
  }
  SECTION("three points on one pixel get three labels that do not overlap") {
    const std::vector<PixelPoint> points{{200, 200}, {200, 200}, {201, 200}};
    const auto placed = place_labels(points, {"alpha", "beta", "gamma"}, area, 12, 3);
    REQUIRE(overlap_area(placed[0].box, placed[1].box) == 0);
    REQUIRE(overlap_area(placed[0].box, placed[2].box) == 0);
    REQUIRE(overlap_area(placed[1].box, placed[2].box) == 0);
  }
  SECTION("a point at the right edge puts its label on the left") {
    const auto placed = place_labels({{398, 200}}, {"edge"}, area, 12, 3);
    REQUIRE(placed[0].box.x1 <= 398);
  }
  SECTION("points and labels must match in number") {
    REQUIRE_THROWS_WITH(place_labels({{0, 0}}, {}, area, 12, 3),
                        Catch::Contains("1 points but 0 labels"));
  }
}
