// Shape ops: reshape (a view), transpose, cat, stack, clone and detach, each
// with its backward, which moves the gradient back to where each element came from.
#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "autograd/backward.h"
#include "autograd/op_helpers.h"
#include "autograd/ops.h"

namespace embedlab {

namespace {
// A new tensor of `shape` holding a copy of `source`'s elements (same count).
Tensor copy_as(const Tensor& source, const Shape& shape) {
  Tensor out = make_tensor(shape, source.dtype());
  if (source.dtype() == DType::Float32) {
    std::copy(source.data().begin(), source.data().end(), out.data().begin());
  } else {
    std::copy(source.ids().begin(), source.ids().end(), out.ids().begin());
  }
  return out;
}

Shape resolve_sizes(const Tensor& x, std::initializer_list<int64_t> sizes) {
  std::vector<int64_t> resolved(sizes);
  int64_t known = 1, unknown_dim = -1;
  for (size_t i = 0; i < resolved.size(); ++i) {
    if (resolved[i] == -1 && unknown_dim < 0) {
      unknown_dim = static_cast<int64_t>(i);
    } else if (__builtin_mul_overflow(known, resolved[i], &known)) {
      // (2^32, 2^32) would wrap a signed product (undefined behaviour) into a "valid" count.
      throw ShapeError(fmt::format("reshape: sizes ({}) hold more elements than an int64 counts",
                                   fmt::join(sizes, ", ")));
    }
  }
  if (unknown_dim >= 0 && resolved.size() <= 2 && known > 0) {
    if (x.numel() % known != 0) {
      // Rounding down here would report a shape the user never asked for.
      throw ShapeError(
          fmt::format("reshape: cannot view shape {} ({} elements) as ({}): {} is "
                      "not a multiple of {}",
                      x.shape().to_string(), x.numel(), fmt::join(sizes, ", "), x.numel(), known));
    }
    resolved[unknown_dim] = x.numel() / known;
  }
  return Shape::from(resolved);
}
}  // namespace

Tensor reshape(const Tensor& x, std::initializer_list<int64_t> sizes) {
  return reshape(x, resolve_sizes(x, sizes));
}

Tensor reshape(const Tensor& x, const Shape& shape) {
  if (shape.numel() != x.numel()) {
    throw ShapeError(fmt::format("reshape: cannot view shape {} ({} elements) as {} ({} elements)",
                                 x.shape().to_string(), x.numel(), shape.to_string(),
                                 shape.numel()));
  }
  // A view: a new tensor header over the same storage.
  auto impl = std::make_shared<TensorImpl>();
  impl->shape = shape;
  impl->dtype = x.dtype();
  impl->storage = x.impl()->storage;
  Tensor out(std::move(impl));
  if (any_requires_grad({&x})) record_op(out, "reshape", reshape_backward, {x});
  return out;
}

// grad_x = grad_out viewed with x's shape (the elements do not move)
void reshape_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  accumulate_grad(node.input(0), copy_as(grad_out, node.input(0).shape()));
}

Tensor transpose(const Tensor& x) {
  if (x.rank() < 2) return x;
  const int64_t R = x.size(0), C = x.size(1);
  Tensor out = make_tensor(Shape{C, R}, x.dtype());
  for (int64_t r = 0; r < R; ++r) {
    for (int64_t c = 0; c < C; ++c) {
      if (x.dtype() == DType::Float32) {
        out.data()[c * R + r] = x.data()[r * C + c];
      } else {
        out.ids()[c * R + r] = x.ids()[r * C + c];
      }
    }
  }
  if (any_requires_grad({&x})) record_op(out, "transpose", transpose_backward, {x});
  return out;
}

// grad_x = transpose(grad_out)
void transpose_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  accumulate_grad(node.input(0), transpose(grad_out));
}

namespace {
// Checks the inputs of cat and returns the output shape.
Shape cat_shape(const std::vector<Tensor>& tensors, int dim) {
  if (tensors.empty()) throw ValueError("cat: needs at least one tensor");
  const Shape& first = tensors[0].shape();
  const int d = first.normalize_dim(dim, "cat");
  int64_t total = 0;
  for (size_t i = 0; i < tensors.size(); ++i) {
    detail::check_float(tensors[i], "cat", "input");
    const Shape& s = tensors[i].shape();
    if (s.rank() != first.rank() || (s.rank() == 2 && s[1 - d] != first[1 - d])) {
      throw ShapeError(
          fmt::format("cat: tensor {} has shape {}, which does not fit shape {} along "
                      "dim {}",
                      i, s.to_string(), first.to_string(), d));
    }
    total += s[d];
  }
  if (first.rank() == 1) return Shape{total};
  return d == 0 ? Shape{total, first[1]} : Shape{first[0], total};
}
}  // namespace

Tensor cat(const std::vector<Tensor>& tensors, int dim) {
  const Shape out_shape = cat_shape(tensors, dim);
  const int d = out_shape.normalize_dim(dim, "cat");
  if (out_shape.rank() == 2 && d == 1) {
    std::vector<Tensor> transposed;
    for (const Tensor& t : tensors)
      transposed.push_back(transpose(t));
    return transpose(cat(transposed, 0));
  }
  Tensor out = make_tensor(out_shape);
  int64_t offset = 0;
  for (const Tensor& t : tensors) {
    std::copy(t.data().begin(), t.data().end(), out.data().begin() + offset);
    offset += t.numel();
  }
  if (grad_enabled()) {
    for (const Tensor& t : tensors) {
      if (t.requires_grad()) {
        record_op(out, "cat", cat_backward, tensors);
        break;
      }
    }
  }
  return out;
}

// grad_inputs[k] = the slice of grad_out that input k was copied into
void cat_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  int64_t offset = 0;
  for (size_t k = 0; k < node.inputs.size(); ++k) {
    const Tensor& input = node.input(k);
    if (input.requires_grad()) {
      Tensor grad = make_tensor(input.shape());
      std::copy_n(grad_out.data().begin() + offset, input.numel(), grad.data().begin());
      accumulate_grad(input, std::move(grad));
    }
    offset += input.numel();
  }
}

Tensor stack(const std::vector<Tensor>& tensors) {
  if (tensors.empty()) throw ValueError("stack: needs at least one tensor");
  const Shape& first = tensors[0].shape();
  if (first.rank() == 2) {
    throw ShapeError(
        fmt::format("stack: stacking matrices of shape {} would need rank 3; use cat "
                    "to join them along a dim",
                    first.to_string()));
  }
  for (size_t i = 0; i < tensors.size(); ++i) {
    if (tensors[i].shape() != first) {
      throw ShapeError(fmt::format("stack: tensor {} has shape {} but tensor 0 has shape {}", i,
                                   tensors[i].shape().to_string(), first.to_string()));
    }
  }
  // Stacking is cat of the inputs viewed as (1, D) rows (or (1) elements for scalars).
  std::vector<Tensor> rows;
  for (const Tensor& t : tensors) {
    rows.push_back(first.rank() == 1 ? reshape(t, Shape{1, first[0]}) : reshape(t, Shape{1}));
  }
  return cat(rows, 0);
}

Tensor Tensor::clone() const {
  Tensor out = copy_as(*this, shape());
  if (any_requires_grad({this})) record_op(out, "clone", clone_backward, {*this});
  return out;
}

// grad_x = grad_out
void clone_backward(Node& node, const Tensor& grad_out, const Tensor&) {
  accumulate_grad(node.input(0), grad_out);
}

Tensor Tensor::detach() const {
  auto impl = std::make_shared<TensorImpl>();
  impl->shape = shape();
  impl->dtype = dtype();
  impl->storage = impl_->storage;  // same elements, no graph
  return Tensor(std::move(impl));
}

Tensor Tensor::reshape(std::initializer_list<int64_t> sizes) const {
  return embedlab::reshape(*this, sizes);
}
Tensor Tensor::view(std::initializer_list<int64_t> sizes) const {
  return embedlab::reshape(*this, sizes);
}
Tensor Tensor::t() const {
  return transpose(*this);
}
Tensor Tensor::sum() const {
  return embedlab::sum(*this);
}
Tensor Tensor::sum(int dim, bool keepdim) const {
  return embedlab::sum(*this, dim, keepdim);
}
Tensor Tensor::mean() const {
  return embedlab::mean(*this);
}
Tensor Tensor::mean(int dim, bool keepdim) const {
  return embedlab::mean(*this, dim, keepdim);
}
Tensor Tensor::operator[](int64_t index) const {
  return select(*this, index);
}
Tensor Tensor::matmul(const Tensor& other) const {
  return embedlab::matmul(*this, other);
}
Tensor Tensor::exp() const {
  return embedlab::exp(*this);
}
Tensor Tensor::log() const {
  return embedlab::log(*this);
}
Tensor Tensor::pow(float exponent) const {
  return embedlab::pow(*this, exponent);
}

}  // namespace embedlab
