// Checks a safetensors header rule by rule. Each check throws a FormatError that names the
// file, the tensor and the offending values, because "invalid file" alone teaches nothing.
// Phases: JSON parse (rejecting duplicate keys), one entry at a time, then the entries
// together (truncation, overlap, holes), then dtype support.
#include "io/safetensors_header.h"

#include <algorithm>
#include <limits>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "tensor/error.h"

namespace embedlab::io {
namespace {

using nlohmann::json;

// Deeper nesting than {"name": {"shape": [...]}} is never valid; stopping early also keeps
// a hostile header of a million '[' from building a huge tree.
constexpr int kMaxDepth = 4;

[[noreturn]] void fail(const std::string& source, const std::string& what) {
  throw FormatError(fmt::format("safetensors \"{}\": {}", source, what));
}

// A JSON value for an error message, cut short so a huge array cannot flood the message.
std::string short_dump(const json& value) {
  std::string text = value.dump();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

// A first pass over the JSON text that builds nothing: it refuses duplicate keys (nlohmann
// would silently keep the last one) and nesting deeper than kMaxDepth, in time linear in the
// text. (nlohmann's parser callback, used before, rescans the parent object at every object
// end: a header of 100,000 entries took minutes.)
class HeaderChecker : public json::json_sax_t {
 public:
  explicit HeaderChecker(const std::string& source) : source_(source) {}
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override {
    enter();
    keys_seen_.emplace_back();
    return true;
  }
  bool key(string_t& key) override {
    if (!keys_seen_.back().insert(key).second)
      fail(source_, fmt::format("duplicate key \"{}\" in the header", key));
    return true;
  }
  bool end_object() override {
    keys_seen_.pop_back();
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    enter();
    return true;
  }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const json::exception& e) override {
    fail(source_, fmt::format("header is not valid JSON: {}", e.what()));
  }

 private:
  void enter() {
    if (++depth_ > kMaxDepth)
      fail(source_, fmt::format("header nests deeper than {} levels", kMaxDepth));
  }
  const std::string& source_;
  int depth_ = 0;                                           // containers open
  std::vector<std::unordered_set<std::string>> keys_seen_;  // one set per open object
};

// Parses the JSON text: the checking pass, then nlohmann's plain parser (no callback).
json parse_json(std::string_view text, const std::string& source) {
  HeaderChecker checker(source);
  json::sax_parse(text.begin(), text.end(), &checker);
  try {
    return json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {
    fail(source, fmt::format("header is not valid JSON: {}", e.what()));
  }
}

// Reads a JSON value that must be a non-negative integer fitting in int64.
uint64_t to_count(const json& value, const std::string& source, const std::string& what) {
  if (!value.is_number_integer()) {
    fail(source, fmt::format("{} must hold integers, found {}", what, short_dump(value)));
  }
  if (!value.is_number_unsigned())
    fail(source, fmt::format("{} holds {}, a negative number", what, value.get<int64_t>()));
  uint64_t count = value.get<uint64_t>();
  if (count > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    fail(source, fmt::format("{} holds {}, too large", what, count));
  }
  return count;
}

const json& field(const json& entry, const char* name, json::value_t type,
                  const std::string& source, const std::string& tensor) {
  auto it = entry.find(name);
  if (it == entry.end())
    fail(source, fmt::format("tensor \"{}\": missing field \"{}\"", tensor, name));
  if (it->type() != type) {
    json example(type);
    fail(source, fmt::format("tensor \"{}\": field \"{}\" must be a JSON {}, found {} {}", tensor,
                             name, example.type_name(), it->type_name(), short_dump(*it)));
  }
  return *it;
}

// Bytes needed by `shape` of `item_size`-byte elements; false if that overflows 64 bits.
bool byte_count(const std::vector<int64_t>& shape, uint64_t item_size, uint64_t* bytes) {
  uint64_t total = item_size;
  for (size_t i = 0; i < shape.size(); ++i) {
    uint64_t dim = static_cast<uint64_t>(shape[i]);
    if (dim != 0 && total > std::numeric_limits<uint64_t>::max() / dim) return false;
    total *= dim;
  }
  *bytes = total;
  return true;
}

TensorEntry parse_entry(const std::string& name, const json& value, const std::string& source) {
  if (!value.is_object()) {
    fail(source, fmt::format("tensor \"{}\": entry must be a JSON object, found {} {}", name,
                             value.type_name(), short_dump(value)));
  }
  TensorEntry entry;
  entry.name = name;
  entry.dtype = field(value, "dtype", json::value_t::string, source, name).get<std::string>();
  uint64_t item_size = dtype_item_size(entry.dtype);
  if (item_size == 0)
    fail(source, fmt::format("tensor \"{}\": unknown dtype \"{}\"", name, entry.dtype));
  const json& shape = field(value, "shape", json::value_t::array, source, name);
  std::string shape_what = fmt::format("tensor \"{}\": shape {}", name, short_dump(shape));
  for (const json& dim : shape)
    entry.shape.push_back(static_cast<int64_t>(to_count(dim, source, shape_what)));
  const json& offsets = field(value, "data_offsets", json::value_t::array, source, name);
  std::string offsets_what =
      fmt::format("tensor \"{}\": data_offsets {}", name, short_dump(offsets));
  if (offsets.size() != 2) fail(source, offsets_what + " must hold exactly 2 numbers [begin, end]");
  entry.begin = to_count(offsets[0], source, offsets_what);
  entry.end = to_count(offsets[1], source, offsets_what);
  if (entry.begin > entry.end) fail(source, offsets_what + " ends before it begins");
  uint64_t needed = 0;
  if (!byte_count(entry.shape, item_size, &needed)) {
    fail(source, fmt::format("tensor \"{}\": shape {} of {} is too large to address", name,
                             shape_to_string(entry.shape), entry.dtype));
  }
  if (needed != entry.end - entry.begin) {
    fail(source,
         fmt::format("tensor \"{}\": data_offsets [{}, {}] but shape {} of {} needs {} bytes", name,
                     entry.begin, entry.end, shape_to_string(entry.shape), entry.dtype, needed));
  }
  return entry;
}

std::map<std::string, std::string> parse_metadata(const json& value, const std::string& source) {
  if (!value.is_object()) {
    fail(source, fmt::format("\"__metadata__\" must be a JSON object, found {} {}",
                             value.type_name(), short_dump(value)));
  }
  std::map<std::string, std::string> metadata;
  for (auto it = value.begin(); it != value.end(); ++it) {
    if (!it->is_string()) {
      fail(source, fmt::format("\"__metadata__\": value of \"{}\" must be a string, found {} {}",
                               it.key(), it->type_name(), short_dump(*it)));
    }
    metadata[it.key()] = it->get<std::string>();
  }
  return metadata;
}

// The file must be long enough for the entry that reaches furthest into the data.
void check_not_truncated(const std::vector<TensorEntry>& entries, uint64_t header_size,
                         uint64_t data_size, const std::string& source) {
  const TensorEntry* last = nullptr;
  for (const TensorEntry& entry : entries) {
    if (last == nullptr || entry.end > last->end) last = &entry;
  }
  if (last != nullptr && last->end > data_size) {
    fail(source,
         fmt::format("file is truncated: tensor \"{}\" ends at byte {} of the data, so the file "
                     "needs 8 + {} + {} = {} bytes, but it has {}",
                     last->name, last->end, header_size, last->end, 8 + header_size + last->end,
                     8 + header_size + data_size));
  }
}

// The entries, in buffer order, must tile [0, data_size) exactly: no byte claimed twice, no
// byte claimed by nobody.
void check_layout(const std::vector<TensorEntry>& entries, uint64_t data_size,
                  const std::string& source) {
  std::vector<const TensorEntry*> order;
  for (const TensorEntry& entry : entries)
    order.push_back(&entry);
  std::sort(order.begin(), order.end(), [](const TensorEntry* a, const TensorEntry* b) {
    return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
  });
  uint64_t covered = 0;  // end of the bytes claimed so far
  const TensorEntry* previous = nullptr;
  for (const TensorEntry* entry : order) {
    if (entry->begin < covered) {
      fail(source,
           fmt::format("tensors \"{}\" [{}, {}] and \"{}\" [{}, {}] overlap", previous->name,
                       previous->begin, previous->end, entry->name, entry->begin, entry->end));
    }
    if (entry->begin > covered) {
      fail(source,
           fmt::format("data bytes [{}, {}) belong to no tensor (a hole before tensor \"{}\"); "
                       "the format allows no holes",
                       covered, entry->begin, entry->name));
    }
    covered = entry->end;
    previous = entry;
  }
  if (covered != data_size) {
    fail(source,
         fmt::format("data bytes [{}, {}) at the end belong to no tensor; the format allows "
                     "no trailing bytes",
                     covered, data_size));
  }
}

}  // namespace

uint64_t dtype_item_size(std::string_view dtype) {
  static const std::map<std::string_view, uint64_t> sizes = {
      {"BOOL", 1}, {"U8", 1},  {"I8", 1},  {"F8_E5M2", 1}, {"F8_E4M3", 1}, {"F8_E8M0", 1},
      {"I16", 2},  {"U16", 2}, {"F16", 2}, {"BF16", 2},    {"I32", 4},     {"U32", 4},
      {"F32", 4},  {"F64", 8}, {"I64", 8}, {"U64", 8},     {"C64", 8}};
  auto it = sizes.find(dtype);
  return it == sizes.end() ? 0 : it->second;
}

bool is_supported_dtype(std::string_view dtype) {
  return dtype == "F32" || dtype == "I64";
}

std::string shape_to_string(const std::vector<int64_t>& shape) {
  return fmt::format("({})", fmt::join(shape, ", "));
}

uint64_t read_safetensors_header_size(std::string_view first_bytes, uint64_t file_size,
                                      const std::string& source) {
  if (file_size < 8 || first_bytes.size() < 8) {
    fail(source,
         fmt::format("file is truncated: it has {} bytes, fewer than the 8-byte header size",
                     file_size));
  }
  uint64_t size = 0;  // little-endian, whatever the host's byte order
  for (int i = 7; i >= 0; --i)
    size = (size << 8) | static_cast<unsigned char>(first_bytes[i]);
  if (size > kMaxSafetensorsHeaderSize) {
    fail(source, fmt::format("header size {} is above the {}-byte limit (corrupt file?)", size,
                             kMaxSafetensorsHeaderSize));
  }
  if (size > file_size - 8) {
    fail(source, fmt::format("file is truncated: the header size says {} bytes of JSON follow, but "
                             "the file has only {} bytes after the 8-byte size",
                             size, file_size - 8));
  }
  return size;
}

SafetensorsHeader parse_safetensors_header(std::string_view text, uint64_t data_size,
                                           const std::string& source) {
  if (text.empty() || text[0] != '{') {
    fail(source, "header must be a JSON object starting with '{'");
  }
  json header = parse_json(text, source);
  SafetensorsHeader result;
  for (auto it = header.begin(); it != header.end(); ++it) {
    if (it.key() == "__metadata__") {
      result.metadata = parse_metadata(*it, source);
    } else {
      result.entries.push_back(parse_entry(it.key(), *it, source));
    }
  }
  check_not_truncated(result.entries, text.size(), data_size, source);
  check_layout(result.entries, data_size, source);
  for (const TensorEntry& entry : result.entries) {
    if (!is_supported_dtype(entry.dtype)) {
      throw TypeError(
          fmt::format("safetensors \"{}\": tensor \"{}\": dtype {} not supported "
                      "(embedlab reads F32 and I64)",
                      source, entry.name, entry.dtype));
    }
  }
  return result;
}

}  // namespace embedlab::io
