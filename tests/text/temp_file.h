// temp_file.h: a file in the temporary directory that exists for the lifetime of one test.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace embedlab::text::testing {

/// A temporary file holding the given bytes; removed again when the object goes out of scope.
class TempFile {
 public:
  /// Writes `contents` to a new file whose name is unique to this process.
  explicit TempFile(std::string_view contents) {
    static int counter = 0;
    path_ = (std::filesystem::temp_directory_path() /
             ("embedlab_text_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) +
              ".txt"))
                .string();
    std::ofstream out(path_, std::ios::binary);
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  }
  ~TempFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  /// The path of the file.
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace embedlab::text::testing
