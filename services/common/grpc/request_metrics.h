// A gRPC server interceptor that counts finished RPCs by method and status
// code: tiendo_grpc_server_handled_total{method="/pkg.Service/Method",code="OK"}.
#pragma once

#include <memory>

#include <grpcpp/support/server_interceptor.h>

#include "services/common/metrics/metric_registry.h"

namespace tiendo::server {

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> RequestMetricsFactory(
    metrics::MetricRegistry& metrics);

}  // namespace tiendo::server
