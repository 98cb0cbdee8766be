#include "tests/support/kafka_broker.h"

#include <cstdlib>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "tests/support/child_process.h"
#include "tests/support/free_port.h"

namespace tiendo::testing {
namespace {

std::string Script(const std::string& name) {
  return absl::StrCat(TIENDO_SOURCE_DIR, "/deploy/kafka/", name);
}

}  // namespace

absl::StatusOr<std::unique_ptr<KafkaBroker>> KafkaBroker::Start(const std::string& dir, int port) {
  absl::StatusOr<std::vector<int>> ports = FreePorts(2);
  if (!ports.ok()) return ports.status();
  if (port == 0) port = (*ports)[0];
  const int controller_port = (*ports)[1] != port ? (*ports)[1] : (*ports)[0];
  RemoveAfterPassingRun(absl::StrCat(dir, ".start.log"));
  RemoveAfterPassingRun(absl::StrCat(dir, ".stop.log"));
  absl::StatusOr<int> status = RunToCompletion(
      {"/bin/bash", Script("start.sh"), "--dir", dir, "--port", absl::StrCat(port),
       "--controller-port", absl::StrCat(controller_port)},
      absl::StrCat(dir, ".start.log"), absl::Minutes(3));
  if (!status.ok()) return status.status();
  if (*status != 0) {
    return absl::UnavailableError(absl::StrCat("deploy/kafka/start.sh exited ", *status,
                                               "; see ", dir, ".start.log and ", dir,
                                               "/kafka.log"));
  }
  return std::unique_ptr<KafkaBroker>(new KafkaBroker(dir, port));
}

KafkaBroker::~KafkaBroker() {
  RunToCompletion({"/bin/bash", Script("stop.sh"), "--dir", dir_},
                  absl::StrCat(dir_, ".stop.log"), absl::Minutes(1))
      .IgnoreError();
}

std::string KafkaBroker::bootstrap() const { return absl::StrCat("127.0.0.1:", port_); }

pid_t KafkaBroker::pid() const {
  std::ifstream file(absl::StrCat(dir_, "/kafka.pid"));  // written by deploy/kafka/start.sh
  pid_t pid = -1;
  file >> pid;
  return file ? pid : -1;
}

absl::StatusOr<std::string> SharedBrokerBootstrap() {
  const char* dir = std::getenv("TIENDO_TEST_KAFKA_DIR");
  if (dir == nullptr) {
    return absl::FailedPreconditionError(
        "TIENDO_TEST_KAFKA_DIR is not set; run the test through ctest, whose kafka fixture "
        "starts the broker");
  }
  std::ifstream in(absl::StrCat(dir, "/bootstrap"));
  std::string bootstrap;
  if (!std::getline(in, bootstrap) || bootstrap.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("no broker address in ", dir, "/bootstrap; did the kafka fixture start?"));
  }
  return std::string(absl::StripAsciiWhitespace(bootstrap));
}

}  // namespace tiendo::testing
