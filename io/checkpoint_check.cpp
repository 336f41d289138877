// Key-by-key comparison of a checkpoint with what a model expects.
#include "io/checkpoint_check.h"

#include <set>

#include <fmt/format.h>

#include "io/safetensors_header.h"
#include "tensor/error.h"

namespace embedlab::io {

std::string CheckpointReport::to_string() const {
  std::string text;
  for (const std::string& name : missing)
    text += fmt::format("missing key \"{}\"\n", name);
  for (const std::string& name : unexpected)
    text += fmt::format("unexpected key \"{}\"\n", name);
  for (const std::string& line : mismatches)
    text += line + "\n";
  return text;
}

CheckpointReport compare_checkpoint(const SafetensorsFile& file,
                                    std::span<const ExpectedArray> expected, bool strict) {
  CheckpointReport report;
  std::set<std::string> expected_names;
  for (const ExpectedArray& want : expected) {
    expected_names.insert(want.name);
    const NamedArray* found = file.find(want.name);
    if (found == nullptr) {
      report.missing.push_back(want.name);
      continue;
    }
    if (found->dtype != want.dtype) {
      report.mismatches.push_back(fmt::format("\"{}\": dtype {} in the file, {} expected",
                                              want.name, found->dtype, want.dtype));
    }
    if (found->shape != want.shape) {
      report.mismatches.push_back(fmt::format("\"{}\": shape {} in the file, {} expected",
                                              want.name, shape_to_string(found->shape),
                                              shape_to_string(want.shape)));
    }
  }
  if (strict) {
    for (const NamedArray& array : file.arrays) {
      if (expected_names.count(array.name) == 0) report.unexpected.push_back(array.name);
    }
  }
  return report;
}

void check_against(const SafetensorsFile& file, std::span<const ExpectedArray> expected,
                   bool strict) {
  CheckpointReport report = compare_checkpoint(file, expected, strict);
  if (!report.ok()) {
    throw ValueError("checkpoint does not match the model:\n" + report.to_string());
  }
}

}  // namespace embedlab::io
