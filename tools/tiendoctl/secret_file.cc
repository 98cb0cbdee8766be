#include "tools/tiendoctl/secret_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"

namespace tiendo::ctl {
namespace {

absl::Status OsError(absl::string_view what, const std::string& path, int error) {
  return absl::Status(error == EEXIST ? absl::StatusCode::kAlreadyExists
                                      : absl::StatusCode::kFailedPrecondition,
                      absl::StrCat("cannot ", what, " ", path, ": ", std::strerror(error)));
}

}  // namespace

absl::Status WriteSecretFile(const std::string& path, absl::string_view secret, bool replace) {
  // Missing parent directories are made 0700, from the outermost in.
  std::filesystem::path made;
  for (const std::filesystem::path& part : std::filesystem::path(path).parent_path()) {
    made /= part;
    if (::mkdir(made.c_str(), S_IRWXU) != 0 && errno != EEXIST) {
      return OsError("create the directory", made.string(), errno);
    }
  }
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (replace ? O_TRUNC : O_EXCL);
  const int fd = ::open(path.c_str(), flags, S_IRUSR | S_IWUSR);
  if (fd < 0) {
    if (errno == EEXIST) {
      return absl::AlreadyExistsError(
          absl::StrCat(path, " exists; give --force to replace it"));
    }
    return OsError("create", path, errno);
  }
  // A replaced file keeps its old mode through O_TRUNC: narrow it.
  int error = ::fchmod(fd, S_IRUSR | S_IWUSR) == 0 ? 0 : errno;
  while (error == 0 && !secret.empty()) {
    const ssize_t written = ::write(fd, secret.data(), secret.size());
    if (written < 0) {
      if (errno != EINTR) error = errno;
      continue;
    }
    secret.remove_prefix(static_cast<size_t>(written));
  }
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  return error == 0 ? absl::OkStatus() : OsError("write", path, error);
}

}  // namespace tiendo::ctl
