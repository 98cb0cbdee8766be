// tiendo-metrics-ingest: flags and signals; everything else is in the library.
#include <memory>

#include "services/common/grpc/run_service.h"
#include "services/metrics-ingest/ingest_application.h"

int main(int argc, char** argv) {
  tiendo::ingest::IngestOptions options;
  return tiendo::server::RunService(
      {"tiendo-metrics-ingest",
       "The tiendo metrics ingest: authenticates reporting units, validates their "
       "submissions and publishes the accepted ones to Kafka, over gRPC and from the raw "
       "submissions topic.",
       7102, 9102},
      argc, argv,
      [&](tiendo::config::FlagSet& flags) { tiendo::ingest::RegisterIngestFlags(flags, &options); },
      [&]() -> absl::StatusOr<std::unique_ptr<tiendo::server::Application>> {
        return std::make_unique<tiendo::ingest::IngestApplication>(options);
      });
}
