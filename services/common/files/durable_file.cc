#include "services/common/files/durable_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include "absl/strings/str_cat.h"

namespace tiendo::files {
namespace {

absl::Status SystemError(const std::string& path, absl::string_view what, int error) {
  return absl::ErrnoToStatus(error, absl::StrCat("file ", path, ": cannot ", what));
}

// A file descriptor closed when it goes out of scope.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }

  int get() const { return fd_; }
  // Closes now; the error close reports, or 0. Some file systems report a failed write only
  // here.
  int Close() {
    const int closed = ::close(fd_);
    fd_ = -1;
    return closed == 0 ? 0 : errno;
  }

 private:
  int fd_;
};

// Writes `bytes` to a new file at `path` and fsyncs it; the errno on failure, or 0.
int WriteSynced(const std::string& path, absl::string_view bytes) {
  FileDescriptor file(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (file.get() < 0) return errno;
  while (!bytes.empty()) {
    const ssize_t written = ::write(file.get(), bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    bytes.remove_prefix(static_cast<size_t>(written));
  }
  if (::fsync(file.get()) != 0) return errno;
  return file.Close();
}

// Makes a rename in `directory` durable; the errno on failure, or 0.
int SyncDirectory(const std::string& directory) {
  FileDescriptor file(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (file.get() < 0) return errno;
  if (::fsync(file.get()) != 0) return errno;
  return file.Close();
}

}  // namespace

absl::Status WriteFileDurably(const std::string& path, absl::string_view bytes) {
  const std::string temporary = absl::StrCat(path, ".tmp");
  if (const int error = WriteSynced(temporary, bytes); error != 0) {
    ::unlink(temporary.c_str());
    return SystemError(path, absl::StrCat("write ", temporary), error);
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    return SystemError(path, absl::StrCat("rename ", temporary, " to it"), error);
  }
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  const std::string directory = parent.empty() ? std::string(".") : parent.string();
  if (const int error = SyncDirectory(directory); error != 0) {
    return SystemError(path, absl::StrCat("sync its directory ", directory), error);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  FileDescriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (file.get() < 0) return SystemError(path, "open it", errno);
  struct stat status;
  if (::fstat(file.get(), &status) != 0) return SystemError(path, "read it", errno);
  std::string bytes(static_cast<size_t>(status.st_size), '\0');
  size_t read_so_far = 0;
  while (read_so_far < bytes.size()) {
    const ssize_t got = ::read(file.get(), bytes.data() + read_so_far, bytes.size() - read_so_far);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return SystemError(path, "read it", errno);
    if (got == 0) break;  // shorter than it was: whoever decodes it says what is missing
    read_so_far += static_cast<size_t>(got);
  }
  bytes.resize(read_so_far);
  return bytes;
}

}  // namespace tiendo::files
