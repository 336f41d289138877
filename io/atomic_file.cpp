// Crash-safe writing: temporary file, fsync, rename, fsync of the directory.
// Uses POSIX calls (open, write, fsync, rename) because std::ofstream cannot fsync and hides
// errno; a small stream buffer lets callers still write with `out << ...`.
#include "io/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "tensor/error.h"

namespace embedlab::io {
namespace {

std::string reason(int err) {
  return std::system_category().message(err);
}

// Writes all `size` bytes, retrying after signals and short writes; returns 0 or errno.
int write_all(int fd, const char* data, size_t size) {
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::write(fd, data + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    done += static_cast<size_t>(n);
  }
  return 0;
}

// An output stream buffer that writes to a file descriptor and remembers the first errno,
// so the error message can say "No space left on device" instead of "stream failed".
class FdWriteBuffer : public std::streambuf {
 public:
  explicit FdWriteBuffer(int fd) : fd_(fd), buffer_(1 << 16) {
    setp(buffer_.data(), buffer_.data() + buffer_.size());
  }

  int error() const { return error_; }

 protected:
  int_type overflow(int_type ch) override {
    if (!flush_buffer()) return traits_type::eof();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }

  std::streamsize xsputn(const char* s, std::streamsize n) override {
    if (n <= 0) return 0;  // s may be null for an empty write
    if (n > epptr() - pptr() && !flush_buffer()) return 0;
    if (n <= epptr() - pptr()) {
      std::memcpy(pptr(), s, static_cast<size_t>(n));
      pbump(static_cast<int>(n));
      return n;
    }
    // Larger than the whole buffer (a tensor's bytes): skip the copy.
    error_ = write_all(fd_, s, static_cast<size_t>(n));
    return error_ == 0 ? n : 0;
  }

  int sync() override { return flush_buffer() ? 0 : -1; }

 private:
  bool flush_buffer() {
    if (error_ != 0) return false;
    error_ = write_all(fd_, pbase(), static_cast<size_t>(pptr() - pbase()));
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return error_ == 0;
  }

  int fd_;
  int error_ = 0;
  std::vector<char> buffer_;
};

// The temporary file: removed by the destructor unless commit() renamed it over the target.
class TempFile {
 public:
  explicit TempFile(const std::string& target) : target_(target), path_(temp_path_for(target)) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd_ < 0) fail("cannot create temporary file for", errno);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(path_.c_str());
  }

  int fd() const { return fd_; }

  [[noreturn]] void fail(const char* what, int err) const {
    throw IOError(fmt::format("write_file_atomically: {} \"{}\" (temporary file \"{}\"): {}", what,
                              target_, path_, reason(err)));
  }

  // Phases: data to disk, file closed, atomic rename, rename to disk.
  void commit() {
    if (::fsync(fd_) != 0) fail("cannot fsync", errno);
    int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail("cannot close", errno);
    if (::rename(path_.c_str(), target_.c_str()) != 0) fail("cannot rename over", errno);
    committed_ = true;
    sync_directory();
  }

 private:
  void sync_directory() const {
    // Built in one expression: assigning "." afterwards trips a GCC 12 -Wrestrict false positive.
    const std::filesystem::path parent = std::filesystem::path(target_).parent_path();
    const std::string dir = parent.empty() ? std::string(".") : parent.string();
    int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0) fail("renamed but cannot open the directory to fsync", errno);
    int err = ::fsync(dir_fd) == 0 ? 0 : errno;
    ::close(dir_fd);
    // EINVAL: the file system cannot sync directories (some network file systems).
    if (err != 0 && err != EINVAL) fail("renamed but cannot fsync the directory of", err);
  }

  std::string target_;
  std::string path_;
  int fd_ = -1;
  bool committed_ = false;
};

}  // namespace

namespace {
// `path` + ".tmp.", with the file name cut short when needed so that the temporary name, with
// a pid of up to 10 digits, stays within NAME_MAX (255 bytes): a target whose own name is 250
// bytes long must still be writable. The cut keeps whole UTF-8 sequences.
std::string temp_prefix_for(const std::string& path) {
  constexpr size_t kSuffix = 5 + 10;  // ".tmp." and the pid
  const std::string name = std::filesystem::path(path).filename().string();
  if (name.size() + kSuffix <= NAME_MAX) return path + ".tmp.";
  size_t keep = NAME_MAX - kSuffix;
  while (keep > 0 && (static_cast<unsigned char>(name[keep]) & 0xC0) == 0x80)
    --keep;  // name[keep] continues a UTF-8 sequence: cut before the sequence starts
  return path.substr(0, path.size() - name.size() + keep) + ".tmp.";
}
}  // namespace

std::string temp_path_for(const std::string& path) {
  return fmt::format("{}{}", temp_prefix_for(path), static_cast<long>(::getpid()));
}

void write_file_atomically(const std::string& path,
                           const std::function<void(std::ostream&)>& write) {
  TempFile temp(path);
  {
    FdWriteBuffer buffer(temp.fd());
    std::ostream out(&buffer);
    try {
      write(out);
      out.flush();
    } catch (const IOError&) {
      // A writer that checks its stream (write_safetensors) can only say "the stream failed";
      // the buffer knows the system's reason ("No space left on device"), and the path.
      if (buffer.error() != 0) temp.fail("cannot write", buffer.error());
      throw;
    }
    if (buffer.error() != 0) temp.fail("cannot write", buffer.error());
    if (!out) temp.fail("cannot write", EIO);
  }
  temp.commit();
}

void write_file_atomically(const std::string& path, std::span<const std::byte> bytes) {
  TempFile temp(path);
  int err = write_all(temp.fd(), reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (err != 0) temp.fail("cannot write", err);
  temp.commit();
}

int remove_stale_temp_files(const std::string& path) {
  namespace fs = std::filesystem;
  fs::path target(path);
  fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::string prefix = fs::path(temp_prefix_for(path)).filename().string();
  std::error_code ec;
  int removed = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    std::string digits = name.substr(prefix.size());
    if (digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    pid_t pid = static_cast<pid_t>(std::stol(digits));
    // kill(pid, 0) sends nothing; ESRCH means no such process, so the writer is gone.
    if (pid == ::getpid() || ::kill(pid, 0) == 0 || errno != ESRCH) continue;
    if (fs::remove(entry.path(), ec)) ++removed;
  }
  return removed;
}

std::string read_whole_file(const std::string& path, const std::string& who) {
  // POSIX calls, so every failure can name errno, and so a pipe or a device (whose size is
  // unknown) is read to its end instead of by a size that does not exist.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw IOError(fmt::format("{}: cannot open \"{}\": {}", who, path, reason(errno)));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    throw IOError(fmt::format("{}: cannot stat \"{}\": {}", who, path, reason(errno)));
  }
  if (S_ISDIR(info.st_mode)) throw IOError(fmt::format("{}: \"{}\" is a directory", who, path));
  std::string content;
  try {
    if (S_ISREG(info.st_mode)) content.reserve(static_cast<size_t>(info.st_size));
    std::vector<char> block(1 << 16);
    for (;;) {
      const ssize_t n = ::read(fd, block.data(), block.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        throw IOError(fmt::format("{}: cannot read \"{}\" after {} bytes: {}", who, path,
                                  content.size(), reason(errno)));
      }
      if (n == 0) break;
      content.append(block.data(), static_cast<size_t>(n));
    }
  } catch (const std::bad_alloc&) {
    throw IOError(fmt::format("{}: \"{}\" does not fit in memory ({} bytes read, {} in the file)",
                              who, path, content.size(), static_cast<long long>(info.st_size)));
  } catch (const std::length_error&) {
    throw IOError(fmt::format("{}: \"{}\" does not fit in memory ({} bytes read, {} in the file)",
                              who, path, content.size(), static_cast<long long>(info.st_size)));
  }
  return content;
}

}  // namespace embedlab::io
