// Tests of viz/axes.h: nice tick values, tick labels and axis ranges, worked out by hand.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "tensor/error.h"
#include "viz/axes.h"

using namespace embedlab;
using namespace embedlab::viz;

using Values = std::vector<double>;

TEST_CASE("nice_ticks steps by 1, 2 or 5 times a power of ten", "[viz][axes]") {
  // The ticks are integer multiples of the step divided by a power of ten, so they equal the
  // decimal literals exactly: no Approx needed.
  SECTION("[0, 1]: step 0.2") {
    REQUIRE(nice_ticks(0, 1) == Values{0, 0.2, 0.4, 0.6, 0.8, 1});
  }
  SECTION("[0.013, 0.087]: step 0.02, ticks inside the range only") {
    REQUIRE(nice_ticks(0.013, 0.087) == Values{0.02, 0.04, 0.06, 0.08});
  }
  SECTION("[0, 10000]: step 2000") {
    REQUIRE(nice_ticks(0, 10000) == Values{0, 2000, 4000, 6000, 8000, 10000});
  }
  SECTION("[-3, 7]: step 2 across zero") {
    REQUIRE(nice_ticks(-3, 7) == Values{-2, 0, 2, 4, 6});
  }
  SECTION("[0, 3]: 0.6 rounds up to step 1") {
    REQUIRE(nice_ticks(0, 3) == Values{0, 1, 2, 3});
  }
  SECTION("[2.31, 2.37]: 0.012 rounds up to step 0.02") {
    REQUIRE(nice_ticks(2.31, 2.37) == Values{2.32, 2.34, 2.36});
  }
  SECTION("more intervals asked: [0, 1] in 10 gives step 0.1") {
    REQUIRE(nice_ticks(0, 1, 10).size() == 11);
    REQUIRE(nice_ticks(0, 1, 10)[3] == 0.3);
  }
  SECTION("a zero-width range is its one value") {
    REQUIRE(nice_ticks(0.5, 0.5) == Values{0.5});
  }
}

TEST_CASE("nice_ticks rejects bad ranges", "[viz][axes]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  REQUIRE_THROWS_AS(nice_ticks(nan, 1), ValueError);
  REQUIRE_THROWS_WITH(nice_ticks(2, 1), Catch::Contains("bad range [2, 1]"));
  REQUIRE_THROWS_WITH(nice_ticks(0, INFINITY), Catch::Contains("need finite lo <= hi"));
  REQUIRE_THROWS_WITH(nice_ticks(0, 1, 0), Catch::Contains("target_intervals 0"));
}

TEST_CASE("log_ticks puts ticks on powers of ten, and on 2 and 5 for short ranges", "[viz][axes]") {
  SECTION("five decades: one tick each") {
    REQUIRE(log_ticks(0.001, 10) == Values{0.001, 0.01, 0.1, 1, 10});
  }
  SECTION("under three decades: 1, 2, 5") {
    REQUIRE(log_ticks(0.2, 5) == Values{0.2, 0.5, 1, 2, 5});
  }
  SECTION("seventeen decades are thinned to every third") {
    REQUIRE(log_ticks(1e-8, 1e8) == Values{1e-8, 1e-5, 1e-2, 10, 1e4, 1e7});
  }
  SECTION("inside one 1-2-5 step: linear ticks") {
    REQUIRE(log_ticks(0.31, 0.45) == Values{0.35, 0.4, 0.45});
  }
  SECTION("zero or negative values cannot be on a log axis") {
    REQUIRE_THROWS_AS(log_ticks(0, 1), ValueError);
    REQUIRE_THROWS_WITH(log_ticks(-1, 1), Catch::Contains("must be positive on a log axis"));
  }
}

TEST_CASE("format_tick shows as many decimals as the step needs", "[viz][axes]") {
  REQUIRE(format_tick(0.04, 0.02, 0.1) == "0.04");
  REQUIRE(format_tick(0.5, 0.5, 1) == "0.5");
  REQUIRE(format_tick(1, 0.2, 1) == "1.0");
  REQUIRE(format_tick(2000, 2000, 10000) == "2000");
  REQUIRE(format_tick(-1e-12, 0.5, 1) == "0.0");      // no "-0.0" from rounding noise
  REQUIRE(format_tick(3e-9, 1e-9, 5e-9) == "3e-09");  // more than 8 decimals
  SECTION("millions and more get a suffix") {
    REQUIRE(format_tick(2e7, 2e7, 1e8) == "20M");
    REQUIRE(format_tick(1.5e6, 1e5, 1.6e6) == "1.5M");
    REQUIRE(format_tick(0, 5e5, 2e6) == "0.0");
    REQUIRE(format_tick(-3e9, 1e9, 5e9) == "-3G");
    REQUIRE(format_tick(2.5e12, 5e11, 3e12) == "2.5T");
  }
}

TEST_CASE("make_linear_axis widens the range to the nearest ticks", "[viz][axes]") {
  SECTION("[0.013, 0.087] becomes [0, 0.1]") {
    const Axis axis = make_linear_axis(0.013, 0.087);
    REQUIRE(axis.lo == 0);
    REQUIRE(axis.hi == 0.1);
    REQUIRE(axis.ticks == Values{0, 0.02, 0.04, 0.06, 0.08, 0.1});
    REQUIRE(axis.labels ==
            std::vector<std::string>{"0.00", "0.02", "0.04", "0.06", "0.08", "0.10"});
    REQUIRE(axis.fraction(0.05) == Approx(0.5).margin(1e-12));
  }
  SECTION("without widening the ends stay and the ticks fall inside") {
    const Axis axis = make_linear_axis(0.013, 0.087, false);
    REQUIRE(axis.lo == 0.013);
    REQUIRE(axis.hi == 0.087);
    REQUIRE(axis.ticks == Values{0.02, 0.04, 0.06, 0.08});
  }
  SECTION("constant values 0.25 open up by 10% to [0.225, 0.275], then widen") {
    const Axis axis = make_linear_axis(0.25, 0.25);
    REQUIRE(axis.lo == 0.22);
    REQUIRE(axis.hi == 0.28);
    REQUIRE(axis.fraction(0.25) == Approx(0.5).margin(1e-12));
  }
  SECTION("a range too small for doubles' powers of ten gets no ticks, but no crash") {
    const Axis axis = make_linear_axis(0, 1e-320);
    REQUIRE(axis.ticks.empty());
    REQUIRE(axis.hi > axis.lo);
  }
  SECTION("a single zero opens up to [-1, 1]") {
    const Axis axis = make_linear_axis(0, 0);
    REQUIRE(axis.ticks == Values{-1, -0.5, 0, 0.5, 1});
  }
}

TEST_CASE("make_linear_axis takes more ticks when asked", "[viz][axes]") {
  const Axis axis = make_linear_axis(-3.5, 7.5, true, 10);  // raw step 1.1: step 2
  REQUIRE(axis.ticks == Values{-4, -2, 0, 2, 4, 6, 8});
  REQUIRE_THROWS_WITH(make_linear_axis(0, 1, true, 0), Catch::Contains("target_intervals 0"));
}

TEST_CASE("make_log_axis widens to 1, 2 or 5 times a power of ten", "[viz][axes]") {
  const Axis axis = make_log_axis(0.3, 7);
  REQUIRE(axis.log);
  REQUIRE(axis.lo == 0.2);
  REQUIRE(axis.hi == 10);
  REQUIRE(axis.ticks == Values{0.2, 0.5, 1, 2, 5, 10});
  REQUIRE(axis.labels == std::vector<std::string>{"0.2", "0.5", "1", "2", "5", "10"});
  // log10(1) - log10(0.2) = 0.69897 of log10(10) - log10(0.2) = 1.69897
  REQUIRE(axis.fraction(1) == Approx(0.69897 / 1.69897).margin(1e-5));
  SECTION("exact powers of ten stay the ends") {
    const Axis decades = make_log_axis(0.001, 1000);
    REQUIRE(decades.lo == 0.001);
    REQUIRE(decades.hi == 1000);
  }
  SECTION("big values get a suffix") {
    const Axis big = make_log_axis(1e5, 1e9);
    REQUIRE(big.labels == std::vector<std::string>{"100000", "1M", "10M", "100M", "1G"});
  }
  SECTION("non-positive ranges are refused") {
    REQUIRE_THROWS_WITH(make_log_axis(0, 1), Catch::Contains("make_log_axis"));
  }
}
