// Tests of viz/svg.h: escaping, the writer, and the atomic save.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tensor/error.h"
#include "viz/svg.h"
#include "viz/svg_check.h"

using namespace embedlab;
using namespace embedlab::viz;
using embedlab::viz::testing::count_of;
using embedlab::viz::testing::tags_balanced;

namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A fresh empty folder under the system temp folder, removed at the end of the test.
struct TempFolder {
  std::filesystem::path path;
  TempFolder() {
    path = std::filesystem::temp_directory_path() /
           ("embedlab_test_viz_" + std::to_string(::getpid()));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempFolder() { std::filesystem::remove_all(path); }
};

}  // namespace

TEST_CASE("escape_xml replaces the five special characters and keeps UTF-8", "[viz][svg]") {
  REQUIRE(escape_xml("a<b & \"c\" 'd'>") == "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
  REQUIRE(escape_xml("猫 & 狗") == "猫 &amp; 狗");
  REQUIRE(escape_xml("") == "");
  REQUIRE(escape_xml("&amp;") == "&amp;amp;");  // already escaped text is escaped again
}

TEST_CASE("escape_xml replaces bytes an XML reader would refuse", "[viz][svg]") {
  const std::string replacement = "\xEF\xBF\xBD";  // U+FFFD
  REQUIRE(escape_xml("tab\tnew\nline") == "tab\tnew\nline");
  REQUIRE(escape_xml("a\x01"
                     "b") == "a" + replacement + "b");
  REQUIRE(escape_xml("\xE7\x8C") == replacement + replacement);  // 猫 cut after two bytes
  REQUIRE(escape_xml("\x80x") == replacement + "x");             // a stray continuation byte
  REQUIRE(escape_xml("\xC0\xAF") == replacement + replacement);  // an overlong '/'
  REQUIRE(escape_xml("\xED\xA0\x80") == replacement + replacement + replacement);  // surrogate
  REQUIRE(escape_xml("\xF0\x9F\x98\x80") == "\xF0\x9F\x98\x80");  // an emoji is valid
}

TEST_CASE("svg_number writes at most two decimals without trailing zeros", "[viz][svg]") {
  REQUIRE(svg_number(12.5) == "12.5");
  REQUIRE(svg_number(3.0) == "3");
  REQUIRE(svg_number(1.006) == "1.01");
  REQUIRE(svg_number(-0.001) == "0");
  REQUIRE(svg_number(-7.25) == "-7.25");
}

TEST_CASE("estimate_text_width counts a CJK character as a full em", "[viz][svg]") {
  REQUIRE(estimate_text_width("ab", 10) == Approx(11.0).margin(1e-12));  // 2 x 0.55 em
  REQUIRE(estimate_text_width("猫狗", 10) == Approx(20.0).margin(1e-12));
  REQUIRE(estimate_text_width("é", 10) == Approx(5.5).margin(1e-12));  // two bytes, one letter
  REQUIRE(estimate_text_width("", 10) == 0);
  REQUIRE(estimate_text_width("\xFF", 10) == Approx(5.5).margin(1e-12));  // a broken byte
}

TEST_CASE("palette_colour cycles through ten distinct colours", "[viz][svg]") {
  REQUIRE(palette_colour(0) == "#1f77b4");
  REQUIRE(palette_colour(1) == "#ff7f0e");
  REQUIRE(palette_colour(10) == palette_colour(0));
  for (std::size_t i = 1; i < 10; ++i)
    REQUIRE(palette_colour(i) != palette_colour(0));
}

TEST_CASE("SvgWriter writes a well-formed document", "[viz][svg]") {
  SvgWriter svg(200, 100);
  svg.rect(0, 0, 200, 100, "#ffffff");
  svg.begin_group("marks");
  svg.line(0, 0, 10.5, 10, "#000000", 1, "4 3");
  svg.circle(5, 5, 2, "red");
  svg.polyline({{0, 0}, {1, 2}, {3, 4}}, "blue");
  svg.text(100, 50, "猫 <&> 'x'", {.size = 14, .anchor = "middle", .halo = true});
  const std::string doc = svg.finish();  // the group is still open: finish closes it

  SECTION("the root element and its size") {
    REQUIRE(doc.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"100\"",
                      0) == 0);
    REQUIRE(doc.substr(doc.size() - 7) == "</svg>\n");
    REQUIRE(tags_balanced(doc));
  }
  SECTION("text is escaped and UTF-8 kept") {
    REQUIRE(count_of(doc, ">猫 &lt;&amp;&gt; &apos;x&apos;</text>") == 1);
    REQUIRE(count_of(doc, "text-anchor=\"middle\"") == 1);
    REQUIRE(count_of(doc, "paint-order=\"stroke\"") == 1);
  }
  SECTION("shapes carry their attributes") {
    REQUIRE(count_of(doc, R"(x2="10.5")") == 1);
    REQUIRE(count_of(doc, R"(stroke-dasharray="4 3")") == 1);
    REQUIRE(count_of(doc, R"(points="0,0 1,2 3,4")") == 1);
  }
  SECTION("the CJK font list is asked for") {
    REQUIRE(count_of(doc, std::string("font-family=\"") + kFontFamily + "\"") == 1);
    REQUIRE(count_of(doc, "Noto Sans CJK SC, WenQuanYi Micro Hei") == 1);
  }
}

TEST_CASE("SvgWriter ignores an end_group without a begin_group", "[viz][svg]") {
  SvgWriter svg(10, 10);
  svg.end_group();
  REQUIRE(tags_balanced(svg.finish()));
}

TEST_CASE("save_text_atomically leaves the complete file and no temporary", "[viz][svg][io]") {
  TempFolder folder;
  const std::string path = (folder.path / "picture.svg").string();
  const std::string big(200000, 'x');  // larger than one write() may take

  SECTION("a new file") {
    save_text_atomically(path, big);
    REQUIRE(read_file(path) == big);
  }
  SECTION("an existing file is replaced") {
    save_text_atomically(path, "old text that is longer");
    save_text_atomically(path, "new");
    REQUIRE(read_file(path) == "new");
  }
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder.path)) {
    REQUIRE(entry.path().filename() == "picture.svg");
    ++files;
  }
  REQUIRE(files == 1);
}

TEST_CASE("save_text_atomically names the path when it cannot write", "[viz][svg][io]") {
  const std::string path = "/nonexistent_folder_embedlab/picture.svg";
  REQUIRE_THROWS_AS(save_text_atomically(path, "text"), IOError);
  REQUIRE_THROWS_WITH(save_text_atomically(path, "text"), Catch::Contains(path));
}
