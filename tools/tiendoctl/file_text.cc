#include "tools/tiendoctl/file_text.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace tiendo::ctl {

absl::StatusOr<std::string> ReadFileText(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return absl::NotFoundError(std::strerror(errno));
  std::string contents;
  char buffer[1 << 16];
  size_t read = 0;
  while ((read = std::fread(buffer, 1, sizeof(buffer), file)) > 0) contents.append(buffer, read);
  const bool failed = std::ferror(file) != 0;
  const int read_errno = errno;
  std::fclose(file);
  if (failed) return absl::FailedPreconditionError(std::strerror(read_errno));
  return contents;
}

std::optional<std::string> ReadInputFile(const std::string& path, std::ostream& err) {
  absl::StatusOr<std::string> text = ReadFileText(path);
  if (!text.ok()) {
    err << "tiendoctl: cannot read " << path << ": " << text.status().message() << "\n";
    return std::nullopt;
  }
  return *std::move(text);
}

}  // namespace tiendo::ctl
