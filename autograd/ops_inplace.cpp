// In-place ops. They bump the storage version, so a backward that needs the old values
// notices, and they refuse tensors that require grad while a graph is being recorded.
#include <fmt/format.h>

#include "autograd/op_helpers.h"
#include "autograd/ops.h"

namespace embedlab {

namespace {
std::span<float> writable(Tensor& x, const char* op) {
  detail::check_float(x, op, "x");
  check_inplace(x, op);
  bump_version(x);
  return x.data();
}
}  // namespace

Tensor& fill_(Tensor& x, float value) {
  for (float& v : writable(x, "fill_"))
    v = value;
  return x;
}

Tensor& zero_(Tensor& x) {
  return fill_(x, 0.0f);
}

Tensor& copy_(Tensor& x, const Tensor& src) {
  detail::check_float(src, "copy_", "src");
  if (x.shape() != src.shape()) {
    throw ShapeError(fmt::format("copy_: source shape {} differs from destination shape {}",
                                 src.shape().to_string(), x.shape().to_string()));
  }
  std::span<float> dst = writable(x, "copy_");
  std::copy(src.data().begin(), src.data().end(), dst.begin());
  return x;
}

Tensor& add_(Tensor& x, const Tensor& other, float alpha) {
  detail::check_float(other, "add_", "other");
  if (x.shape() != other.shape()) {
    throw ShapeError(fmt::format("add_: shape {} cannot be added in place to shape {}",
                                 other.shape().to_string(), x.shape().to_string()));
  }
  std::span<float> dst = writable(x, "add_");
  std::span<const float> src = other.data();
  for (size_t i = 0; i < dst.size(); ++i)
    dst[i] += alpha * src[i];
  return x;
}

Tensor& mul_(Tensor& x, float factor) {
  for (float& v : writable(x, "mul_"))
    v *= factor;
  return x;
}

}  // namespace embedlab
