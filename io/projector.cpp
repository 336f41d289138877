// TSV export for the Embedding Projector: one float row per word and one label row per word.
#include "io/projector.h"

#include <iterator>

#include <fmt/format.h>

#include "io/atomic_file.h"
#include "tensor/error.h"

namespace embedlab::io {
namespace {

// The word column: cleaned, and never blank, because the projector skips blank lines.
std::string word_label(const std::string& word) {
  std::string label = clean_tsv_label(word);
  if (label.find_first_not_of(' ') == std::string::npos) return "<empty>";
  return label;
}

void write_vectors_tsv(std::ostream& out, const WordVectors& vectors) {
  size_t dim = static_cast<size_t>(vectors.dim);
  fmt::memory_buffer buffer;
  for (size_t row = 0; row < vectors.words.size(); ++row) {
    for (size_t col = 0; col < dim; ++col) {
      if (col > 0) buffer.push_back('\t');
      fmt::format_to(std::back_inserter(buffer), "{}", vectors.values[row * dim + col]);
    }
    buffer.push_back('\n');
    if (buffer.size() > (1 << 16)) {
      out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      buffer.clear();
    }
  }
  out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
}

void write_metadata_tsv(std::ostream& out, const WordVectors& vectors,
                        const std::vector<MetadataColumn>& extra_columns) {
  std::string text;
  if (!extra_columns.empty()) {  // 2+ columns: the projector expects a header row
    text += "word";
    for (const MetadataColumn& column : extra_columns) {
      // Two appends rather than "\t" + label: cheaper, and GCC 12 -O3 warns falsely
      // (-Wrestrict, GCC bug 105329) on operator+(const char*, std::string&&).
      text += '\t';
      text += clean_tsv_label(column.name);
    }
    text += "\n";
  }
  for (size_t row = 0; row < vectors.words.size(); ++row) {
    text += word_label(vectors.words[row]);
    for (const MetadataColumn& column : extra_columns) {
      text += '\t';
      text += clean_tsv_label(column.values[row]);
    }
    text += "\n";
  }
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

}  // namespace

std::string clean_tsv_label(const std::string& label) {
  std::string clean = label;
  for (char& c : clean) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return clean;
}

void save_projector_files(const std::string& vectors_tsv_path, const std::string& metadata_tsv_path,
                          const WordVectors& vectors,
                          const std::vector<MetadataColumn>& extra_columns) {
  check_word_vectors(vectors, "save_projector_files");
  if (vectors.dim < 2) {
    throw ValueError(fmt::format("save_projector_files: dim is {}, the projector needs at least 2",
                                 vectors.dim));
  }
  for (const MetadataColumn& column : extra_columns) {
    if (column.values.size() != vectors.words.size()) {
      throw ValueError(fmt::format("save_projector_files: column \"{}\" has {} values for {} words",
                                   column.name, column.values.size(), vectors.words.size()));
    }
  }
  write_file_atomically(vectors_tsv_path,
                        [&](std::ostream& out) { write_vectors_tsv(out, vectors); });
  write_file_atomically(metadata_tsv_path, [&](std::ostream& out) {
    write_metadata_tsv(out, vectors, extra_columns);
  });
}

}  // namespace embedlab::io
