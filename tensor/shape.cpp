// Shape: rank checks and printing. The one place that enforces "rank 0 to 2".
#include "tensor/shape.h"

#include <limits>

#include <fmt/format.h>

#include "tensor/error.h"

namespace embedlab {

namespace {
std::string sizes_to_string(std::span<const int64_t> sizes) {
  std::string text = "(";
  for (size_t i = 0; i < sizes.size(); ++i)
    text += (i ? ", " : "") + std::to_string(sizes[i]);
  return text + ")";
}
}  // namespace

Shape::Shape(std::initializer_list<int64_t> sizes) : Shape(from({sizes.begin(), sizes.size()})) {}

Shape Shape::from(std::span<const int64_t> sizes) {
  if (sizes.size() > static_cast<size_t>(kMaxRank)) {
    throw ShapeError(fmt::format("shape {}: rank {} > 2, embedlab tensors have rank 0-2",
                                 sizes_to_string(sizes), sizes.size()));
  }
  Shape shape;
  shape.rank_ = static_cast<int>(sizes.size());
  int64_t count = 1;
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] < 0) {
      throw ShapeError(fmt::format("shape {}: size {} of dim {} is negative",
                                   sizes_to_string(sizes), sizes[i], i));
    }
    // A count past int64 would wrap (2^32 x 2^32 gives 0) and describe a tensor whose loops
    // run far beyond its storage.
    if (sizes[i] != 0 && count > std::numeric_limits<int64_t>::max() / sizes[i]) {
      throw ShapeError(fmt::format("shape {}: too many elements, the count overflows int64",
                                   sizes_to_string(sizes)));
    }
    count *= sizes[i];
    shape.sizes_[i] = sizes[i];
  }
  return shape;
}

int Shape::normalize_dim(int dim, const char* op) const {
  int normalized = dim < 0 ? dim + rank_ : dim;
  if (normalized < 0 || normalized >= rank_) {
    const std::string valid = rank_ == 0 ? "a scalar has no dims"
                                         : fmt::format("valid dims: {} to {}", -rank_, rank_ - 1);
    throw IndexError(fmt::format("{}: dim {} is out of range for a rank-{} tensor of shape {} ({})",
                                 op, dim, rank_, to_string(), valid));
  }
  return normalized;
}

int64_t Shape::operator[](int dim) const {
  return sizes_[normalize_dim(dim, "Shape")];
}

int64_t Shape::numel() const {
  int64_t count = 1;
  for (int i = 0; i < rank_; ++i)
    count *= sizes_[i];
  return count;
}

std::string Shape::to_string() const {
  return sizes_to_string(sizes());
}

}  // namespace embedlab
