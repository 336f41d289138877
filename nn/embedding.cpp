// Embedding and EmbeddingBag: the parameter and the option checks. As in PyTorch, the module
// only forwards: the lookups, max_norm's renorm and their backward are ops in
// autograd/ops_embedding*.cpp.
#include "nn/embedding.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "autograd/node.h"
#include "tensor/creation.h"
#include "tensor/error.h"

namespace embedlab::nn {

namespace {
void check_sizes(int64_t V, int64_t D, const char* layer) {
  if (V <= 0 || D <= 0) {
    throw ValueError(fmt::format("{}: num_embeddings ({}) and embedding_dim ({}) must be positive",
                                 layer, V, D));
  }
}

// Turns a PyTorch-style padding_idx (negative counts from the end) into a row number.
std::optional<int64_t> normalize_padding(std::optional<int64_t> padding_idx, int64_t V,
                                         const char* layer) {
  if (!padding_idx) return std::nullopt;
  const int64_t row = *padding_idx < 0 ? *padding_idx + V : *padding_idx;
  if (row < 0 || row >= V) {
    throw IndexError(
        fmt::format("{}: padding_idx {} out of range [-{}, {})", layer, *padding_idx, V, V));
  }
  return row;
}

// max_norm must be a positive length and norm_type a p > 0 (infinity: the largest |x|): a
// negative max_norm flipped every row's sign, a NaN one silently did nothing.
void check_norm_options(std::optional<float> max_norm, float norm_type, const char* who) {
  if (max_norm && !(std::isfinite(*max_norm) && *max_norm > 0.0f)) {
    throw ValueError(fmt::format("{}: max_norm must be finite and > 0, got {}", who, *max_norm));
  }
  if (!(norm_type > 0.0f)) {  // also refuses NaN
    throw ValueError(
        fmt::format("{}: norm_type must be > 0 (2 for the Euclidean length, "
                    "infinity for the largest |x|), got {}",
                    who, norm_type));
  }
}

// randn((V, D)), with the layer's call in an allocation or size error, which would otherwise
// name only the inner tensor ("tensor of shape (V, D): cannot allocate ...").
Tensor weight_table(int64_t V, int64_t D, Generator& generator, const char* layer) {
  try {
    return randn({V, D}, generator);
  } catch (const ShapeError& e) {
    throw ShapeError(fmt::format("{}({}, {}): {}", layer, V, D, e.what()));
  } catch (const ValueError& e) {
    throw ValueError(fmt::format("{}({}, {}): {}", layer, V, D, e.what()));
  }
}

void zero_row(Tensor& weight, int64_t row) {
  const int64_t D = weight.size(1);
  for (int64_t c = 0; c < D; ++c)
    weight.data()[row * D + c] = 0.0f;
}
}  // namespace

Embedding::Embedding(int64_t num_embeddings, int64_t embedding_dim, EmbeddingOptions options,
                     Generator& generator)
    : options_(options) {
  check_sizes(num_embeddings, embedding_dim, "Embedding");
  check_norm_options(options_.max_norm, options_.norm_type, "Embedding");
  options_.padding_idx = normalize_padding(options.padding_idx, num_embeddings, "Embedding");
  weight = register_parameter("weight",
                              weight_table(num_embeddings, embedding_dim, generator, "Embedding"));
  if (options_.padding_idx) zero_row(weight, *options_.padding_idx);
}

std::shared_ptr<Embedding> Embedding::from_pretrained(const Tensor& weights, bool freeze,
                                                      EmbeddingOptions options) {
  if (!weights.defined() || weights.rank() != 2) {
    throw ShapeError(
        fmt::format("Embedding::from_pretrained: weights must be a float (V, D) "
                    "matrix, got {}",
                    weights.defined() ? "shape " + weights.shape().to_string()
                                      : std::string("an undefined tensor")));
  }
  if (weights.dtype() != DType::Float32) {
    throw TypeError(
        fmt::format("Embedding::from_pretrained: weights must be float32, got {} "
                    "of shape {}",
                    dtype_name(weights.dtype()), weights.shape().to_string()));
  }
  return std::shared_ptr<Embedding>(new Embedding(weights.detach().clone(), options, !freeze));
}

Embedding::Embedding(Tensor weights, EmbeddingOptions options, bool trainable) : options_(options) {
  check_sizes(weights.size(0), weights.size(1), "Embedding::from_pretrained");
  check_norm_options(options_.max_norm, options_.norm_type, "Embedding::from_pretrained");
  options_.padding_idx =
      normalize_padding(options.padding_idx, weights.size(0), "Embedding::from_pretrained");
  weight = register_parameter("weight", std::move(weights), trainable);
}

Tensor Embedding::forward(const Tensor& ids) {
  return embedding(weight, ids,
                   EmbeddingFuncOptions{.padding_idx = options_.padding_idx.value_or(-1),
                                        .scale_grad_by_freq = options_.scale_grad_by_freq,
                                        .max_norm = options_.max_norm,
                                        .norm_type = options_.norm_type});
}

std::string Embedding::extra_repr() const {
  std::string text = fmt::format("{}, {}", num_embeddings(), embedding_dim());
  if (options_.padding_idx) text += fmt::format(", padding_idx={}", *options_.padding_idx);
  if (options_.max_norm) text += fmt::format(", max_norm={}", *options_.max_norm);
  if (options_.scale_grad_by_freq) text += ", scale_grad_by_freq=true";
  return text;
}

EmbeddingBag::EmbeddingBag(int64_t num_embeddings, int64_t embedding_dim,
                           EmbeddingBagOptions options, Generator& generator)
    : options_(options) {
  check_sizes(num_embeddings, embedding_dim, "EmbeddingBag");
  check_norm_options(options_.max_norm, options_.norm_type, "EmbeddingBag");
  options_.padding_idx = normalize_padding(options.padding_idx, num_embeddings, "EmbeddingBag");
  weight = register_parameter(
      "weight", weight_table(num_embeddings, embedding_dim, generator, "EmbeddingBag"));
  if (options_.padding_idx) zero_row(weight, *options_.padding_idx);
}

Tensor EmbeddingBag::forward(const Tensor& ids) {
  return forward(ids, Tensor(), Tensor());
}

Tensor EmbeddingBag::forward(const Tensor& ids, const Tensor& offsets,
                             const Tensor& per_sample_weights) {
  return embedding_bag(weight, ids, offsets,
                       EmbeddingBagFuncOptions{.mode = options_.mode,
                                               .per_sample_weights = per_sample_weights,
                                               .padding_idx = options_.padding_idx.value_or(-1),
                                               .include_last_offset = options_.include_last_offset,
                                               .max_norm = options_.max_norm,
                                               .norm_type = options_.norm_type});
}

std::string EmbeddingBag::extra_repr() const {
  static const char* kModes[] = {"sum", "mean", "max"};
  std::string text = fmt::format("{}, {}, mode={}", weight.size(0), weight.size(1),
                                 kModes[static_cast<int>(options_.mode)]);
  if (options_.padding_idx) text += fmt::format(", padding_idx={}", *options_.padding_idx);
  if (options_.max_norm) text += fmt::format(", max_norm={}", *options_.max_norm);
  return text;
}

}  // namespace embedlab::nn
