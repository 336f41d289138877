/// @file safetensors_header.h
/// @brief Reading and checking the JSON header of a safetensors file, before any data is read.
///
/// A safetensors file (Hugging Face's format, https://huggingface.co/docs/safetensors) is:
///
///     [8 bytes: N, little-endian u64] [N bytes: JSON header, maybe padded with spaces]
///     [data buffer: the tensors' bytes, back to back]
///
/// The header maps each tensor name to `{"dtype": "F32", "shape": [2, 3], "data_offsets":
/// [begin, end]}` (offsets relative to the start of the data buffer) and may hold a
/// `"__metadata__"` object of string to string. This file checks every rule of the format so
/// that the loader can trust the header before it allocates anything. Left out: reading the
/// data itself (safetensors.h) and sub-byte dtypes such as F4.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace embedlab::io {

/// The largest header the loader accepts, 100 MB, the limit Hugging Face's reader uses too.
inline constexpr uint64_t kMaxSafetensorsHeaderSize = 100'000'000;

/// One tensor's entry in the header: where its bytes are and how to read them.
struct TensorEntry {
  std::string name;            ///< The tensor's key in the header, such as "embedding.weight".
  std::string dtype;           ///< The dtype code, such as "F32".
  std::vector<int64_t> shape;  ///< The dimensions; empty for a scalar.
  uint64_t begin = 0;          ///< First byte in the data buffer.
  uint64_t end = 0;            ///< One past the last byte in the data buffer.
};

/// The checked header of a safetensors file.
struct SafetensorsHeader {
  std::vector<TensorEntry> entries;             ///< One per tensor, sorted by name.
  std::map<std::string, std::string> metadata;  ///< The "__metadata__" object, maybe empty.
};

/// Returns the size in bytes of one element of a safetensors dtype, or 0 for an unknown code.
/// @param dtype a dtype code such as "F32", "I64" or "BF16".
/// @return 1, 2, 4 or 8; 0 if the code is not one the format defines.
uint64_t dtype_item_size(std::string_view dtype);

/// Returns true for the dtypes embedlab reads and writes: "F32" and "I64".
/// @param dtype a dtype code.
/// @return whether embedlab supports it.
bool is_supported_dtype(std::string_view dtype);

/// Formats a shape the way error messages show it, such as "(10, 20)" or "()".
/// @param shape the dimensions.
/// @return the text.
std::string shape_to_string(const std::vector<int64_t>& shape);

/// Reads the 8-byte little-endian header size and checks it against the file size.
/// @param first_bytes the first 8 bytes of the file.
/// @param file_size the size of the whole file in bytes.
/// @param source the file name used in error messages.
/// @return N, the size of the JSON header.
/// @throws FormatError if N is above 100 MB or larger than what follows the first 8 bytes.
uint64_t read_safetensors_header_size(std::string_view first_bytes, uint64_t file_size,
                                      const std::string& source);

/// Parses the JSON header and checks every rule of the format against the data size.
///
/// Checked: valid JSON object starting with '{', no duplicate keys, each entry an object with a
/// string dtype the format defines, a shape of non-negative integers and two integer
/// data_offsets with begin <= end; shape product times item size equals end - begin (without
/// overflow); the entries cover the data buffer exactly, without overlap or hole; metadata
/// values are strings. The dtype must also be F32 or I64 (checked last, so that a damaged file
/// is reported as damaged).
/// @param text the N header bytes (trailing spaces allowed).
/// @param data_size the number of bytes after the header, the data buffer.
/// @param source the file name used in error messages.
/// @return the entries, sorted by name, and the metadata.
/// @throws FormatError naming the key and the values for the first broken rule.
/// @throws TypeError if the file is well formed but holds a dtype other than F32 or I64.
SafetensorsHeader parse_safetensors_header(std::string_view text, uint64_t data_size,
                                           const std::string& source);

}  // namespace embedlab::io
