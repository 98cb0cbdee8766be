// Real Apache Kafka brokers for integration tests, started and stopped with
// the same scripts as local runs (deploy/kafka/start.sh, stop.sh).
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "tests/support/temp_dir.h"

namespace tiendo::testing {

class KafkaBroker {
 public:
  // Starts a single-node KRaft broker with its data in `dir`, listening on
  // 127.0.0.1:`port` (0: a free port). Returns once it answers metadata.
  static absl::StatusOr<std::unique_ptr<KafkaBroker>> Start(const std::string& dir, int port = 0);
  // Stops the broker (SIGTERM, then SIGKILL).
  ~KafkaBroker();

  std::string bootstrap() const;
  // The broker's process (from its pid file); -1 if unknown.
  pid_t pid() const;

 private:
  KafkaBroker(std::string dir, int port) : dir_(std::move(dir)), port_(port) {}
  const std::string dir_;
  const int port_;
};

// The bootstrap address of the broker the ctest fixture started for the
// whole run (tests/kafka_fixture.sh), from $TIENDO_TEST_KAFKA_DIR/bootstrap.
absl::StatusOr<std::string> SharedBrokerBootstrap();

}  // namespace tiendo::testing
