/// @file safetensors.h
/// @brief Saving and loading named arrays in Hugging Face's safetensors format.
///
/// The arrays are plain structs (name, dtype code, shape, bytes), independent of Tensor, so
/// this layer only knows about bytes; an adapter turns a Module's parameters into ArrayViews.
/// Supported dtypes: "F32" (float) and "I64" (int64_t). Files holding other dtypes (BF16,
/// F16, ...) are recognised and refused with a TypeError that names the dtype.
///
/// Byte order: the format stores little-endian numbers and embedlab copies the bytes as they
/// are, so it needs a little-endian host (x86-64, ARM64); safetensors.cpp static_asserts this.
///
/// Writing: the JSON header lists "__metadata__" first, then the tensors sorted by name, each as
/// {"dtype", "shape", "data_offsets"}, with no spaces; it is padded with spaces to a multiple of
/// 8 bytes; the data follows in the same name order. Files load in Python with
/// `safetensors.numpy.load_file(path)` or `safetensors.torch.load_file(path)`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <ostream>
#include <span>
#include <string>
#include <vector>

namespace embedlab::io {

/// A named array that owns its bytes: what the loader returns.
struct NamedArray {
  std::string name;              ///< The key, such as "embedding.weight".
  std::string dtype;             ///< "F32" or "I64".
  std::vector<int64_t> shape;    ///< The dimensions, such as {V, D}; empty for a scalar.
  std::vector<std::byte> bytes;  ///< The elements in row-major order, little-endian.
};

/// A named array that borrows its bytes: what the writer takes, so saving copies nothing.
struct ArrayView {
  std::string name;   ///< The key, such as "embedding.weight".
  std::string dtype;  ///< "F32" or "I64".
  std::vector<int64_t>
      shape;  ///< The dimensions; their product times the item size is bytes.size().
  std::span<const std::byte> bytes;  ///< The elements in row-major order; must outlive the save.
};

/// The content of a safetensors file: its arrays, sorted by name, and its metadata.
struct SafetensorsFile {
  std::vector<NamedArray> arrays;               ///< Sorted by name.
  std::map<std::string, std::string> metadata;  ///< The "__metadata__" strings, maybe empty.

  /// Returns the array called `name`, or nullptr if the file has none (a binary search, as
  /// `arrays` is sorted by name).
  /// @param name the key to look for.
  /// @return a pointer into `arrays`, valid while this object lives and is unchanged.
  const NamedArray* find(const std::string& name) const;
};

/// Makes a view of float values for the writer, with dtype "F32".
/// @param name the key.
/// @param shape the dimensions; save_safetensors() checks them against the number of values.
/// @param values the elements in row-major order; they must outlive the save.
/// @return the view.
/// @code
///   std::vector<float> w = {1, 2, 3, 4, 5, 6};
///   io::ArrayView view = io::make_array_view("w", {2, 3}, w);
/// @endcode
ArrayView make_array_view(std::string name, std::vector<int64_t> shape,
                          std::span<const float> values);

/// Makes a view of int64 values for the writer, with dtype "I64".
/// @param name the key.
/// @param shape the dimensions.
/// @param values the elements in row-major order; they must outlive the save.
/// @return the view.
ArrayView make_array_view(std::string name, std::vector<int64_t> shape,
                          std::span<const int64_t> values);

/// Copies the elements of an "F32" array into floats.
/// @param array a loaded array.
/// @return its values in row-major order.
/// @throws TypeError if the dtype is not "F32".
std::vector<float> to_float_vector(const NamedArray& array);

/// Copies the elements of an "I64" array into int64 values.
/// @param array a loaded array.
/// @return its values in row-major order.
/// @throws TypeError if the dtype is not "I64".
std::vector<int64_t> to_int64_vector(const NamedArray& array);

/// Writes arrays and metadata in safetensors format to a stream.
/// @param out the stream, opened in binary mode.
/// @param arrays the arrays; the order does not matter, the file is sorted by name.
/// @param metadata free-form strings stored under "__metadata__" (omitted when empty).
/// @throws ValueError for an empty, duplicate or reserved ("__metadata__") name, a negative
///   dimension, or a name or metadata string that is not valid UTF-8.
/// @throws TypeError for a dtype other than "F32" and "I64".
/// @throws ShapeError if the shape does not match the number of bytes.
void write_safetensors(std::ostream& out, std::span<const ArrayView> arrays,
                       const std::map<std::string, std::string>& metadata = {});

/// Saves arrays and metadata to a safetensors file, atomically (see atomic_file.h).
///
/// The arrays are checked before the file is touched, so a bad array leaves the old file as it was.
/// @param path the file to create or replace.
/// @param arrays the arrays to save.
/// @param metadata free-form strings stored under "__metadata__".
/// @throws the errors of write_safetensors(), and IOError if the file cannot be written.
/// @code
///   std::vector<float> w = {1, 2, 3, 4, 5, 6};
///   std::vector<io::ArrayView> arrays = {io::make_array_view("w", {2, 3}, w)};
///   io::save_safetensors("model.safetensors", arrays, {{"epoch", "3"}});
/// @endcode
void save_safetensors(const std::string& path, std::span<const ArrayView> arrays,
                      const std::map<std::string, std::string>& metadata = {});

/// Loads every array and the metadata of a safetensors file.
///
/// The header is checked completely (see parse_safetensors_header()) before any data buffer is
/// allocated, so a corrupt or hostile file cannot make the loader allocate more than its size.
/// @param path the file to read.
/// @return the arrays sorted by name, and the metadata.
/// @throws IOError if the file cannot be opened or read.
/// @throws FormatError naming the problem and the values if the file is malformed or truncated.
/// @throws TypeError if a tensor has a dtype other than F32 or I64.
/// @code
///   io::SafetensorsFile file = io::load_safetensors("model.safetensors");
///   std::vector<float> w = io::to_float_vector(*file.find("w"));  // {1, 2, 3, 4, 5, 6}
/// @endcode
SafetensorsFile load_safetensors(const std::string& path);

/// Loads a safetensors file that is already in memory, with the same checks as load_safetensors().
/// @param bytes the whole file.
/// @param source the name used in error messages.
/// @return the arrays sorted by name, and the metadata.
/// @throws FormatError or TypeError as load_safetensors().
SafetensorsFile load_safetensors_from_bytes(std::span<const std::byte> bytes,
                                            const std::string& source = "<memory>");

}  // namespace embedlab::io
