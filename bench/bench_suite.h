// BenchSuite: the suite as the benchmarks that send submissions run it — a Kafka broker of
// their own in a temporary directory, the registry (release build, fresh database) with the
// seed plan applied, a token for dept-st, and metrics-ingest once it accepts a dry run of
// every cell of bench/seed_submissions.h. Services log to the directory at level warning; the
// suite's own are killed when it goes, the broker last, and the directory is removed.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/kafka/kafka_options.h"
#include "tests/support/kafka_broker.h"
#include "tests/support/service_under_test.h"
#include "tiendo/ingest/v1/ingest.grpc.pb.h"
#include "tiendo/registry/v1/registry.grpc.pb.h"

namespace tiendo::bench {

// Skips the benchmark with `why`, keeping the directory `files` would remove (the logs there
// tell why) and naming it.
void SkipKeepingFiles(benchmark::State& state, testing::RemovedAtEnd& files,
                      absl::string_view why);

class BenchSuite {
 public:
  // `name` names the temporary directory and the calls' actor (e.g. "ingest"); the binaries
  // are the benchmark's TIENDO_REGISTRY_BINARY and TIENDO_INGEST_BINARY.
  static absl::StatusOr<std::unique_ptr<BenchSuite>> Start(const std::string& name,
                                                           const std::string& registry_binary,
                                                           const std::string& ingest_binary);

  const std::string& dir() const { return dir_; }
  const std::string& bootstrap() const { return bootstrap_; }
  // The broker's process, for its CPU time; -1 if unknown.
  pid_t broker_pid() const { return broker_->pid(); }
  // The broker, the suite's topic prefix and the partitions its topics are created with.
  kafka::KafkaOptions kafka_options() const;
  // The token issued for dept-st.
  const registry::v1::IssueTokenResponse& token() const { return token_; }
  ingest::v1::MetricsIngest::Stub& ingest() { return *ingest_stub_; }
  // The channel to metrics-ingest, for calls of serialized requests (grpc::GenericStub).
  const std::shared_ptr<grpc::Channel>& ingest_channel() const { return ingest_channel_; }
  const testing::ServiceUnderTest& ingest_service() const { return ingest_; }

  // Skips the benchmark with `why`, keeping the suite's directory (the services' logs).
  void Fail(benchmark::State& state, absl::string_view why) {
    SkipKeepingFiles(state, removed_at_end_, why);
  }

  // A call context with a deadline, the suite's actor and, unless `bearer` is empty,
  // `authorization: Bearer <bearer>`.
  std::unique_ptr<grpc::ClientContext> CallContext(const std::string& bearer) const;

  // Starts `binary` as `name` on the suite's broker and prefix, on free ports, with `flags`
  // besides the usual ones; does not wait for it.
  absl::StatusOr<testing::ServiceUnderTest> StartService(const std::string& binary,
                                                         const std::string& name,
                                                         const std::vector<std::string>& flags);

 private:
  explicit BenchSuite(std::string name) : name_(std::move(name)) {}
  // The broker, the registry with the seed plan, and ingest once it accepts every cell.
  absl::Status StartAll(const std::string& registry_binary, const std::string& ingest_binary);
  // StartService, then waits until the service reports SERVING.
  absl::StatusOr<testing::ServiceUnderTest> StartAndAwait(const std::string& binary,
                                                          const std::string& name,
                                                          const std::vector<std::string>& flags);
  absl::Status ApplySeedPlan();
  absl::Status AwaitIngestAcceptsEveryCell();

  const std::string name_;
  // Removes the directory once everything below (services, then the broker) has stopped.
  testing::RemovedAtEnd removed_at_end_;
  std::string dir_;
  std::string bootstrap_;
  // Declared before the services: they stop before the broker does.
  std::unique_ptr<testing::KafkaBroker> broker_;
  testing::ServiceUnderTest registry_;
  testing::ServiceUnderTest ingest_;
  std::unique_ptr<registry::v1::Registry::Stub> registry_stub_;
  std::shared_ptr<grpc::Channel> ingest_channel_;
  std::unique_ptr<ingest::v1::MetricsIngest::Stub> ingest_stub_;
  registry::v1::IssueTokenResponse token_;
};

}  // namespace tiendo::bench
