#include "services/metrics-ingest/ingest_application.h"

namespace tiendo::ingest {

std::vector<grpc::Service*> IngestApplication::GrpcServices() {
  return {&service_};
}

}  // namespace tiendo::ingest
