// The metrics-ingest service: authenticated, validated submissions from
// department systems (tiendo.ingest.v1.MetricsIngest), published to Kafka.
//
// Walking skeleton: the service is registered (health, reflection, metrics,
// Kafka readiness and shutdown all work) and every RPC answers UNIMPLEMENTED;
// validation and publishing come with the ingest issue.
#pragma once

#include <memory>
#include <vector>

#include "services/common/grpc/application.h"
#include "tiendo/ingest/v1/ingest.grpc.pb.h"

namespace tiendo::ingest {

class IngestApplication final : public server::Application {
 public:
  std::vector<grpc::Service*> GrpcServices() override;

 private:
  v1::MetricsIngest::CallbackService service_;
};

}  // namespace tiendo::ingest
