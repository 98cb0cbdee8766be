#include "services/common/process/thread_name.h"

#include <pthread.h>

#include <string>

namespace tiendo::process {

void NameThisThread(absl::string_view name) {
  constexpr size_t kMaxBytes = 15;  // the kernel's limit, without the terminating NUL
  const std::string kept(name.substr(0, kMaxBytes));
  pthread_setname_np(pthread_self(), kept.c_str());
}

}  // namespace tiendo::process
