// tiendo-metrics-ingest: flags and signals; everything else is in the library.
#include <memory>

#include "services/common/grpc/run_service.h"
#include "services/metrics-ingest/ingest_application.h"

int main(int argc, char** argv) {
  return tiendo::server::RunService(
      {"tiendo-metrics-ingest",
       "The tiendo metrics ingest: authenticates reporting units, validates their "
       "submissions and publishes the accepted ones to Kafka.",
       7102, 9102},
      argc, argv, [](tiendo::config::FlagSet&) {},
      [] { return std::make_unique<tiendo::ingest::IngestApplication>(); });
}
