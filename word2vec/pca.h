/// @file pca.h
/// @brief Principal component analysis from scratch: the directions along which points spread
/// most, used to draw D-dimensional word vectors on a 2-D map (降维, dimensionality reduction).
///
/// The algorithm, for N points in D dimensions (the rows of X):
/// 1. Centre: subtract the mean row, so the cloud sits around the origin.
/// 2. Covariance: C = X^T X / (N - 1), a symmetric (D, D) matrix; its entry (a, b) says how
///    coordinates a and b vary together.
/// 3. Top eigenvectors by power iteration: start from a fixed vector v and repeat
///    v <- C v / |C v|. Every step multiplies the component along eigenvector i by its
///    eigenvalue lambda_i, so the largest one wins; the error shrinks like
///    (lambda_2 / lambda_1)^steps. Its eigenvalue is the Rayleigh quotient v . C v.
/// 4. Deflation: C <- C - lambda_1 v v^T removes the direction found, and step 3 finds the
///    next one.
/// 5. Project: the coordinates are (X - mean) times each component; the explained variance
///    ratio of component i is lambda_i / trace(C) (the trace is the total variance).
///
/// Computed in double precision. Left out: the SVD route and a full eigen-decomposition;
/// when two eigenvalues are (almost) equal, power iteration converges slowly and returns some
/// direction within their plane, which is as good a picture.
#pragma once

#include <cstdint>
#include <vector>

#include "tensor/tensor.h"

namespace embedlab::word2vec {

/// What `pca` returns.
struct PcaResult {
  Tensor coordinates;  ///< (N, k): each point in the new axes
  Tensor components;   ///< (k, D): the unit-length principal directions, largest first
  Tensor mean;         ///< (D): the mean row that was subtracted
  std::vector<double> explained_variance;        ///< k eigenvalues of the covariance
  std::vector<double> explained_variance_ratio;  ///< each eigenvalue / total variance
};

/// Projects the rows of `points` onto their `k` principal components.
/// @param points (N, D) float32, one point per row, N >= 2
/// @param k the number of components, 1 <= k <= D (2 for a map)
/// @param max_iterations the most power-iteration steps per component
/// @return coordinates, components, mean and explained variances (ratios are 0 when every
///         point is the same)
/// @throws ShapeError when `points` is not a matrix; ValueError for N < 2, k outside [1, D] or
///         max_iterations < 1.
/// @code
/// PcaResult result = pca(tensor({{1, 1}, {2, 2}, {3, 3}}), 1);
/// // result.components ~ [[0.7071, 0.7071]], result.explained_variance_ratio = {1.0}
/// // result.coordinates ~ [[-1.4142], [0], [1.4142]]
/// @endcode
PcaResult pca(const Tensor& points, int64_t k = 2, int64_t max_iterations = 1000);

}  // namespace embedlab::word2vec
