// safetensors writing (validate, build the header, stream the bytes) and reading (check the
// whole header first, then read each tensor's bytes into its own buffer). The header rules
// live in safetensors_header.cpp.
#include "io/safetensors.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <system_error>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "io/atomic_file.h"
#include "io/safetensors_header.h"
#include "tensor/error.h"

namespace embedlab::io {

// The file stores little-endian numbers and we memcpy them; a big-endian host would need swaps.
static_assert(std::endian::native == std::endian::little,
              "embedlab's safetensors code assumes a little-endian host");

namespace {

void check_utf8(const std::string& text, const std::string& what) {
  try {
    (void)nlohmann::json(text).dump();
  } catch (const nlohmann::json::type_error&) {
    throw ValueError(fmt::format("save_safetensors: {} is not valid UTF-8", what));
  }
}

// Bytes needed by `shape` of `item_size`-byte elements, or UINT64_MAX if that overflows.
uint64_t bytes_needed(const std::vector<int64_t>& shape, uint64_t item_size) {
  uint64_t total = item_size;
  for (size_t i = 0; i < shape.size(); ++i) {
    uint64_t dim = static_cast<uint64_t>(shape[i]);
    if (dim != 0 && total > std::numeric_limits<uint64_t>::max() / dim) {
      return std::numeric_limits<uint64_t>::max();
    }
    total *= dim;
  }
  return total;
}

void check_array(const ArrayView& array) {
  if (array.name == "__metadata__") {
    throw ValueError("save_safetensors: \"__metadata__\" is reserved and cannot name a tensor");
  }
  check_utf8(array.name, fmt::format("tensor name \"{}\"", array.name));
  if (!is_supported_dtype(array.dtype)) {
    throw TypeError(
        fmt::format("save_safetensors: tensor \"{}\": dtype \"{}\" not supported "
                    "(embedlab writes F32 and I64)",
                    array.name, array.dtype));
  }
  for (size_t i = 0; i < array.shape.size(); ++i) {
    if (array.shape[i] < 0) {
      throw ShapeError(
          fmt::format("save_safetensors: tensor \"{}\": shape {} has a negative dimension",
                      array.name, shape_to_string(array.shape)));
    }
  }
  uint64_t needed = bytes_needed(array.shape, dtype_item_size(array.dtype));
  if (needed != array.bytes.size()) {
    throw ShapeError(fmt::format(
        "save_safetensors: tensor \"{}\": shape {} of {} needs {} bytes but {} "
        "were given",
        array.name, shape_to_string(array.shape), array.dtype, needed, array.bytes.size()));
  }
}

// Checks every array and the metadata; returns the arrays sorted by name.
std::vector<const ArrayView*> checked_and_sorted(
    std::span<const ArrayView> arrays, const std::map<std::string, std::string>& metadata) {
  std::vector<const ArrayView*> sorted;
  for (const ArrayView& array : arrays) {
    check_array(array);
    sorted.push_back(&array);
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const ArrayView* a, const ArrayView* b) { return a->name < b->name; });
  for (size_t i = 1; i < sorted.size(); ++i) {
    if (sorted[i]->name == sorted[i - 1]->name) {
      throw ValueError(
          fmt::format("save_safetensors: two tensors are named \"{}\"", sorted[i]->name));
    }
  }
  for (const auto& [key, value] : metadata) {
    check_utf8(key, fmt::format("metadata key \"{}\"", key));
    check_utf8(value, fmt::format("metadata value of \"{}\"", key));
  }
  return sorted;
}

// The JSON header, padded with spaces so that the data starts at a multiple of 8 bytes.
std::string make_header(const std::vector<const ArrayView*>& sorted,
                        const std::map<std::string, std::string>& metadata) {
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  uint64_t offset = 0;
  for (const ArrayView* array : sorted) {
    nlohmann::ordered_json entry = nlohmann::ordered_json::object();
    entry["dtype"] = array->dtype;
    entry["shape"] = array->shape;
    entry["data_offsets"] = nlohmann::ordered_json::array({offset, offset + array->bytes.size()});
    header[array->name] = std::move(entry);
    offset += array->bytes.size();
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  if (text.size() > kMaxSafetensorsHeaderSize) {
    throw ValueError(
        fmt::format("save_safetensors: header of {} bytes is above the {}-byte limit "
                    "(too many tensors)",
                    text.size(), kMaxSafetensorsHeaderSize));
  }
  return text;
}

NamedArray array_for(TensorEntry& entry) {
  NamedArray array;
  array.name = std::move(entry.name);
  array.dtype = std::move(entry.dtype);
  array.shape = std::move(entry.shape);
  try {
    array.bytes.resize(entry.end - entry.begin);
  } catch (const std::exception&) {  // std::bad_alloc or std::length_error
    throw ValueError(
        fmt::format("load_safetensors: tensor \"{}\" of {} bytes does not fit in memory",
                    array.name, entry.end - entry.begin));
  }
  return array;
}

void read_exact(std::ifstream& in, uint64_t position, void* dst, uint64_t size,
                const std::string& path) {
  in.seekg(static_cast<std::streamoff>(position));
  in.read(static_cast<char*>(dst), static_cast<std::streamsize>(size));
  if (!in || static_cast<uint64_t>(in.gcount()) != size) {
    throw IOError(
        fmt::format("load_safetensors: cannot read {} bytes at offset {} of \"{}\" (did the "
                    "file change while loading?)",
                    size, position, path));
  }
}

}  // namespace

const NamedArray* SafetensorsFile::find(const std::string& name) const {
  // `arrays` is sorted by name (the loader makes it so), so a binary search finds it: callers
  // look up every key, and a linear scan would make loading n arrays take n^2 time.
  auto it = std::lower_bound(
      arrays.begin(), arrays.end(), name,
      [](const NamedArray& array, const std::string& key) { return array.name < key; });
  if (it != arrays.end() && it->name == name) return &*it;
  // Not found: maybe the caller changed `arrays` and broke the order; look at every one.
  for (const NamedArray& array : arrays) {
    if (array.name == name) return &array;
  }
  return nullptr;
}

ArrayView make_array_view(std::string name, std::vector<int64_t> shape,
                          std::span<const float> values) {
  return ArrayView{std::move(name), "F32", std::move(shape), std::as_bytes(values)};
}

ArrayView make_array_view(std::string name, std::vector<int64_t> shape,
                          std::span<const int64_t> values) {
  return ArrayView{std::move(name), "I64", std::move(shape), std::as_bytes(values)};
}

std::vector<float> to_float_vector(const NamedArray& array) {
  if (array.dtype != "F32") {
    throw TypeError(fmt::format("to_float_vector: tensor \"{}\" has dtype {}, not F32", array.name,
                                array.dtype));
  }
  std::vector<float> values(array.bytes.size() / sizeof(float));
  if (!values.empty()) {  // memcpy with a null pointer is undefined even for 0 bytes
    std::memcpy(values.data(), array.bytes.data(), values.size() * sizeof(float));
  }
  return values;
}

std::vector<int64_t> to_int64_vector(const NamedArray& array) {
  if (array.dtype != "I64") {
    throw TypeError(fmt::format("to_int64_vector: tensor \"{}\" has dtype {}, not I64", array.name,
                                array.dtype));
  }
  std::vector<int64_t> values(array.bytes.size() / sizeof(int64_t));
  if (!values.empty()) {  // memcpy with a null pointer is undefined even for 0 bytes
    std::memcpy(values.data(), array.bytes.data(), values.size() * sizeof(int64_t));
  }
  return values;
}

void write_safetensors(std::ostream& out, std::span<const ArrayView> arrays,
                       const std::map<std::string, std::string>& metadata) {
  std::vector<const ArrayView*> sorted = checked_and_sorted(arrays, metadata);
  std::string header = make_header(sorted, metadata);
  char size_bytes[8];
  uint64_t size = header.size();
  for (int i = 0; i < 8; ++i)
    size_bytes[i] = static_cast<char>((size >> (8 * i)) & 0xff);
  out.write(size_bytes, 8);
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  for (const ArrayView* array : sorted) {
    if (array->bytes.empty()) continue;  // its data() may be null
    out.write(reinterpret_cast<const char*>(array->bytes.data()),
              static_cast<std::streamsize>(array->bytes.size()));
  }
  if (!out) throw IOError("write_safetensors: the output stream failed");
}

void save_safetensors(const std::string& path, std::span<const ArrayView> arrays,
                      const std::map<std::string, std::string>& metadata) {
  // Check first, so that a bad array does not even create the temporary file.
  (void)checked_and_sorted(arrays, metadata);
  write_file_atomically(path, [&](std::ostream& out) { write_safetensors(out, arrays, metadata); });
}

SafetensorsFile load_safetensors(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw IOError(fmt::format("load_safetensors: \"{}\" is a directory", path));
  }
  if (!std::filesystem::is_regular_file(path, ec) && std::filesystem::exists(path, ec)) {
    // A pipe or a device has no size to seek to: read it once, then parse the bytes.
    const std::string bytes = read_whole_file(path, "load_safetensors");
    return load_safetensors_from_bytes(std::as_bytes(std::span(bytes.data(), bytes.size())), path);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw IOError(fmt::format("load_safetensors: cannot open \"{}\": {}", path,
                              std::system_category().message(errno)));
  }
  in.seekg(0, std::ios::end);
  uint64_t file_size = static_cast<uint64_t>(in.tellg());
  std::string first(8, '\0');
  if (file_size >= 8) read_exact(in, 0, first.data(), 8, path);
  uint64_t header_size = read_safetensors_header_size(first, file_size, path);
  std::string text(header_size, '\0');
  read_exact(in, 8, text.data(), header_size, path);
  SafetensorsHeader header = parse_safetensors_header(text, file_size - 8 - header_size, path);
  SafetensorsFile file;
  file.metadata = std::move(header.metadata);
  for (TensorEntry& entry : header.entries) {
    uint64_t position = 8 + header_size + entry.begin;
    file.arrays.push_back(array_for(entry));
    NamedArray& array = file.arrays.back();
    if (!array.bytes.empty())
      read_exact(in, position, array.bytes.data(), array.bytes.size(), path);
  }
  return file;
}

SafetensorsFile load_safetensors_from_bytes(std::span<const std::byte> bytes,
                                            const std::string& source) {
  std::string_view all(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  uint64_t header_size = read_safetensors_header_size(all.substr(0, 8), bytes.size(), source);
  SafetensorsHeader header =
      parse_safetensors_header(all.substr(8, header_size), bytes.size() - 8 - header_size, source);
  SafetensorsFile file;
  file.metadata = std::move(header.metadata);
  for (TensorEntry& entry : header.entries) {
    const std::byte* data = bytes.data() + 8 + header_size + entry.begin;
    file.arrays.push_back(array_for(entry));
    NamedArray& array = file.arrays.back();
    std::copy(data, data + array.bytes.size(), array.bytes.begin());
  }
  return file;
}

}  // namespace embedlab::io
