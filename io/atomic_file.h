/// @file atomic_file.h
/// @brief Crash-safe file writing (a reader sees either the old file or the complete new one),
/// and its plain counterpart for reading a whole file.
///
/// The recipe is the classic one: write everything to a temporary file in the same directory
/// (`path + ".tmp.<pid>"`), flush it, `fsync` it, `rename` it over the target (atomic on POSIX
/// file systems), then `fsync` the directory so the rename itself survives a power cut.
///
/// Left out: Windows, preserving the old file's permissions or owner (the new file gets
/// 0666 minus the umask), and two threads of one process writing the same path at once (they
/// would share one temporary name). A symbolic link at `path` is replaced by a regular file,
/// not followed. If the process is killed (SIGKILL, power cut) in the middle of a write, the
/// target is intact but the temporary file stays behind; remove_stale_temp_files() cleans up
/// such leftovers of dead processes.
#pragma once

#include <cstddef>
#include <functional>
#include <ostream>
#include <span>
#include <string>

namespace embedlab::io {

/// Writes a file through a callback so that a crash never leaves a half-written target.
///
/// The callback writes the whole content to the stream it receives; the stream writes into a
/// temporary file, which is renamed over `path` only after everything reached the disk.
/// @param path the file to create or replace.
/// @param write called once with the stream to fill; it may throw to abort the write.
/// @throws IOError naming the path and the system's reason when creating, writing, syncing or
///   renaming fails; any exception the callback throws is passed on unchanged. In every failure
///   case the temporary file is removed and the target is untouched.
/// @code
///   io::write_file_atomically("hello.txt", [](std::ostream& out) { out << "hello\n"; });
/// @endcode
void write_file_atomically(const std::string& path,
                           const std::function<void(std::ostream&)>& write);

/// Writes a byte buffer to a file so that a crash never leaves a half-written target.
/// @param path the file to create or replace.
/// @param bytes the complete new content.
/// @throws IOError naming the path and the system's reason, as the callback version.
void write_file_atomically(const std::string& path, std::span<const std::byte> bytes);

/// Returns the temporary file name write_file_atomically() uses for `path` in this process.
/// @param path the target file.
/// @return `path + ".tmp.<pid>"`, with the file name cut short when that would pass NAME_MAX
///   (255 bytes), so a target with a long name can still be written.
std::string temp_path_for(const std::string& path);

/// Removes the temporary files that killed writers left next to `path`.
///
/// A file `path + ".tmp.<pid>"` is removed only if no process with that pid is alive, so a
/// write in progress in another process is never disturbed. (Do not use it on a directory that
/// several machines share: their pids mean nothing here.)
/// @param path the target file whose leftovers to remove.
/// @return how many files were removed.
int remove_stale_temp_files(const std::string& path);

/// Reads a whole file into a string, byte for byte; a pipe or device is read to its end.
/// @param path the file to read.
/// @param who the function name that starts error messages.
/// @return the content.
/// @throws IOError naming the path and the system's reason if it cannot be opened or read, if
///   it is a directory, or if it does not fit in memory.
std::string read_whole_file(const std::string& path, const std::string& who);

}  // namespace embedlab::io
