// PCA by power iteration with deflation, in the five phases listed in pca.h.
#include "word2vec/pca.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "tensor/creation.h"
#include "tensor/error.h"
#include "tensor/random.h"

namespace embedlab::word2vec {

namespace {

using Matrix = std::vector<double>;  // row-major, (rows, cols) known by the caller

// Phase 1 and 2: the mean row (D) and the covariance (D, D) of N points.
void mean_and_covariance(const Tensor& points, std::vector<double>& mean, Matrix& cov) {
  const int64_t N = points.size(0), D = points.size(1);
  const float* x = points.data().data();
  mean.assign(D, 0.0);
  for (int64_t i = 0; i < N; ++i) {
    for (int64_t c = 0; c < D; ++c)
      mean[c] += x[i * D + c];
  }
  for (double& m : mean)
    m /= static_cast<double>(N);
  try {
    cov.assign(static_cast<std::size_t>(D) * static_cast<std::size_t>(D), 0.0);
  } catch (const std::exception&) {  // std::bad_alloc or std::length_error
    throw ValueError(
        fmt::format("pca: cannot allocate the {} x {} covariance matrix of {} columns ({} doubles)",
                    D, D, D, static_cast<double>(D) * static_cast<double>(D)));
  }
  std::vector<double> centred(D);
  for (int64_t i = 0; i < N; ++i) {
    for (int64_t c = 0; c < D; ++c)
      centred[c] = x[i * D + c] - mean[c];
    for (int64_t a = 0; a < D; ++a) {
      for (int64_t b = 0; b < D; ++b)
        cov[a * D + b] += centred[a] * centred[b];
    }
  }
  for (double& v : cov)
    v /= static_cast<double>(N - 1);
}

// Phase 3: the eigenvector of the largest eigenvalue of the symmetric `cov`, and that
// eigenvalue. The start vector is fixed (seeded), so results repeat; a random start is almost
// surely not orthogonal to the eigenvector sought.
double power_iteration(const Matrix& cov, int64_t D, int64_t max_iterations,
                       std::vector<double>& v) {
  Generator generator(2024);
  v.resize(D);
  double start_length = 0.0;
  for (double& x : v) {
    x = generator.normal();
    start_length += x * x;
  }
  for (double& x : v)
    x /= std::sqrt(start_length);
  std::vector<double> w(D);
  double lambda = 0.0;
  for (int64_t step = 0; step < max_iterations; ++step) {
    double length = 0.0;
    for (int64_t a = 0; a < D; ++a) {
      w[a] = 0.0;
      for (int64_t b = 0; b < D; ++b)
        w[a] += cov[a * D + b] * v[b];
      length += w[a] * w[a];
    }
    length = std::sqrt(length);
    if (length == 0.0) return 0.0;  // cov is zero on every direction left
    double change = 0.0;
    lambda = 0.0;
    for (int64_t a = 0; a < D; ++a) {
      lambda += v[a] * w[a];  // the Rayleigh quotient v . C v (|v| = 1)
      const double next = w[a] / length;
      change += (next - v[a]) * (next - v[a]);
      v[a] = next;
    }
    if (step > 0 && change < 1e-24) break;
  }
  return lambda;
}

// Makes the largest-magnitude coordinate of `v` positive, so the picture does not flip
// between runs that find -v instead of v.
void fix_sign(std::vector<double>& v) {
  size_t largest = 0;
  for (size_t a = 1; a < v.size(); ++a) {
    if (std::fabs(v[a]) > std::fabs(v[largest])) largest = a;
  }
  if (v[largest] < 0) {
    for (double& x : v)
      x = -x;
  }
}

// Phase 5: the (N, k) coordinates of every centred point along every component.
Tensor project(const Tensor& points, const std::vector<double>& mean, const Tensor& components) {
  const int64_t N = points.size(0), D = points.size(1), k = components.size(0);
  Tensor coordinates = zeros(Shape{N, k});
  const float* x = points.data().data();
  const float* axis = components.data().data();
  for (int64_t p = 0; p < N; ++p) {
    for (int64_t i = 0; i < k; ++i) {
      double along = 0.0;
      for (int64_t c = 0; c < D; ++c)
        along += (x[p * D + c] - mean[c]) * axis[i * D + c];
      coordinates.data()[p * k + i] = static_cast<float>(along);
    }
  }
  return coordinates;
}

}  // namespace

PcaResult pca(const Tensor& points, int64_t k, int64_t max_iterations) {
  if (!points.defined() || points.dtype() != DType::Float32 || points.rank() != 2) {
    throw ShapeError(fmt::format("pca: points must be a float32 (N, D) matrix, got {}",
                                 points.defined() ? points.shape().to_string() : "nothing"));
  }
  const int64_t N = points.size(0), D = points.size(1);
  if (N < 2 || k < 1 || k > D || max_iterations < 1) {
    throw ValueError(
        fmt::format("pca: needs at least 2 points, 1 <= k <= D = {} and max_iterations >= 1; "
                    "got {} points, k = {} and max_iterations = {}",
                    D, N, k, max_iterations));
  }
  std::vector<double> mean;
  Matrix cov;
  mean_and_covariance(points, mean, cov);
  double total_variance = 0.0;
  for (int64_t a = 0; a < D; ++a)
    total_variance += cov[a * D + a];

  PcaResult result;
  result.components = zeros(Shape{k, D});
  std::vector<double> v;
  for (int64_t i = 0; i < k; ++i) {
    const double lambda = std::max(0.0, power_iteration(cov, D, max_iterations, v));
    fix_sign(v);
    // Phase 4: deflation, C <- C - lambda v v^T, so the next search finds the next direction.
    for (int64_t a = 0; a < D; ++a) {
      for (int64_t b = 0; b < D; ++b)
        cov[a * D + b] -= lambda * v[a] * v[b];
    }
    for (int64_t c = 0; c < D; ++c)
      result.components.data()[i * D + c] = static_cast<float>(v[c]);
    result.explained_variance.push_back(lambda);
    result.explained_variance_ratio.push_back(total_variance > 0 ? lambda / total_variance : 0.0);
  }
  result.coordinates = project(points, mean, result.components);
  result.mean = from_vector(std::vector<float>(mean.begin(), mean.end()), Shape{D});
  return result;
}

}  // namespace embedlab::word2vec
