// Tests of word2vec/pca.h: points on a known plane in 5-D, eigenvalues worked out by hand,
// and the argument errors.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "embedlab.h"
#include "word2vec/pca.h"

using namespace embedlab;
using namespace embedlab::word2vec;

TEST_CASE("pca of points on a line finds the line", "[word2vec][pca]") {
  // The example of pca.h: (1,1), (2,2), (3,3) lie on the diagonal.
  const PcaResult result = pca(tensor({{1, 1}, {2, 2}, {3, 3}}), 1);
  REQUIRE(result.components.shape() == Shape{1, 2});
  CHECK(result.components.at(0, 0) == Approx(0.707107).margin(1e-5));
  CHECK(result.components.at(0, 1) == Approx(0.707107).margin(1e-5));
  CHECK(result.explained_variance[0] == Approx(2.0).margin(1e-9));  // var 1 on each axis
  CHECK(result.explained_variance_ratio[0] == Approx(1.0).margin(1e-9));
  REQUIRE(result.coordinates.shape() == Shape{3, 1});
  CHECK(result.coordinates.at(0, 0) == Approx(-1.414214).margin(1e-5));
  CHECK(result.coordinates.at(1, 0) == Approx(0.0).margin(1e-6));
  CHECK(result.coordinates.at(2, 0) == Approx(1.414214).margin(1e-5));
  CHECK(result.mean.at(0) == Approx(2.0));
}

TEST_CASE("pca finds axis-aligned variances worked out by hand", "[word2vec][pca]") {
  // Six points (+-3,0,0), (0,+-2,0), (0,0,+-1): mean 0, covariance diag(18, 8, 2) / 5, so the
  // eigenvalues are 3.6, 1.6, 0.4 out of a total of 5.6.
  const PcaResult result =
      pca(tensor({{3, 0, 0}, {-3, 0, 0}, {0, 2, 0}, {0, -2, 0}, {0, 0, 1}, {0, 0, -1}}), 3);
  const std::vector<double> eigen{3.6, 1.6, 0.4};
  for (int64_t i = 0; i < 3; ++i) {
    INFO("component " << i);
    CHECK(result.explained_variance[i] == Approx(eigen[i]).margin(1e-9));
    CHECK(result.explained_variance_ratio[i] == Approx(eigen[i] / 5.6).margin(1e-9));
    CHECK(result.components.at(i, i) == Approx(1.0).margin(1e-6));  // the axis, sign made +
  }
}

TEST_CASE("pca of points on a plane in 5-D recovers the plane", "[word2vec][pca]") {
  // p = c + s a + t b with orthonormal a, b: two components explain everything, and
  // mean + coordinates x components rebuilds every point.
  const std::vector<double> a{0.5, 0.5, 0.5, 0.5, 0.0};
  const std::vector<double> b{0.5, -0.5, 0.5, -0.5, 0.0};
  const std::vector<double> c{1.0, -2.0, 0.5, 3.0, 7.0};
  Generator generator(11);
  const int64_t N = 40, D = 5;
  std::vector<float> points(N * D);
  for (int64_t i = 0; i < N; ++i) {
    const double s = 3.0 * generator.normal(), t = generator.normal();
    for (int64_t d = 0; d < D; ++d)
      points[i * D + d] = static_cast<float>(c[d] + s * a[d] + t * b[d]);
  }
  const Tensor x = from_vector(points, Shape{N, D});
  const PcaResult result = pca(x, 2);

  CHECK(result.explained_variance_ratio[0] + result.explained_variance_ratio[1] ==
        Approx(1.0).margin(1e-5));
  CHECK(result.explained_variance_ratio[0] > 0.8);  // s spreads three times as far as t
  double worst = 0.0;
  for (int64_t i = 0; i < N; ++i) {
    for (int64_t d = 0; d < D; ++d) {
      const double rebuilt = result.mean.at(d) +
                             result.coordinates.at(i, 0) * result.components.at(0, d) +
                             result.coordinates.at(i, 1) * result.components.at(1, d);
      worst = std::max(worst, std::fabs(rebuilt - x.at(i, d)));
    }
  }
  CHECK(worst < 1e-4);
  // a and b lie in the span of the two components: projecting them keeps their full length.
  for (const std::vector<double>* v : {&a, &b}) {
    double kept = 0.0;
    for (int64_t k = 0; k < 2; ++k) {
      double along = 0.0;
      for (int64_t d = 0; d < D; ++d)
        along += (*v)[d] * result.components.at(k, d);
      kept += along * along;
    }
    CHECK(kept == Approx(1.0).margin(1e-5));
  }
}

TEST_CASE("pca of identical points explains nothing", "[word2vec][pca]") {
  const PcaResult result = pca(tensor({{1, 2}, {1, 2}, {1, 2}}), 2);
  CHECK(result.explained_variance_ratio[0] == 0.0);
  CHECK(result.coordinates.at(2, 1) == 0.0f);
}

TEST_CASE("pca names bad arguments", "[word2vec][pca][errors]") {
  REQUIRE_THROWS_WITH(pca(tensor({{1, 2}}), 1), Catch::Contains("at least 2 points"));
  REQUIRE_THROWS_WITH(pca(tensor({{1, 2}, {3, 4}}), 3),
                      Catch::Contains("got 2 points, k = 3 and max_iterations = 1000"));
  REQUIRE_THROWS_WITH(pca(tensor({{1, 2}, {3, 4}}), 1, 0), Catch::Contains("max_iterations = 0"));
  REQUIRE_THROWS_AS(pca(tensor({1, 2, 3}), 1), ShapeError);
  REQUIRE_THROWS_AS(pca(tensor({{1, 2}, {3, 4}}, DType::Int64), 1), ShapeError);
}
