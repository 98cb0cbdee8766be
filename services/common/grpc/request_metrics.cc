#include "services/common/grpc/request_metrics.h"

#include <map>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace tiendo::server {
namespace {

std::string CodeName(grpc::StatusCode code) {
  static const char* const kNames[] = {
      "OK",          "CANCELLED",          "UNKNOWN",        "INVALID_ARGUMENT",
      "DEADLINE_EXCEEDED", "NOT_FOUND",    "ALREADY_EXISTS", "PERMISSION_DENIED",
      "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
      "UNIMPLEMENTED", "INTERNAL",         "UNAVAILABLE",    "DATA_LOSS",
      "UNAUTHENTICATED"};
  const int index = static_cast<int>(code);
  return index >= 0 && index < 17 ? kNames[index] : "UNKNOWN";
}

// Counters by (method, code), created on first use.
class HandledCounters {
 public:
  explicit HandledCounters(metrics::MetricRegistry& metrics) : metrics_(metrics) {}

  void Count(const std::string& method, grpc::StatusCode code) {
    std::pair<std::string, std::string> key{method, CodeName(code)};
    metrics::Counter* counter = nullptr;
    {
      absl::MutexLock lock(&mu_);
      auto it = counters_.find(key);
      if (it == counters_.end()) {
        counter = &metrics_.AddCounter("tiendo_grpc_server_handled_total",
                                       "gRPC calls finished, by method and status code.",
                                       {{"method", key.first}, {"code", key.second}});
        counters_.emplace(std::move(key), counter);
      } else {
        counter = it->second;
      }
    }
    counter->Increment();
  }

 private:
  metrics::MetricRegistry& metrics_;
  absl::Mutex mu_;
  std::map<std::pair<std::string, std::string>, metrics::Counter*> counters_
      ABSL_GUARDED_BY(mu_);
};

class RequestMetrics final : public grpc::experimental::Interceptor {
 public:
  RequestMetrics(HandledCounters& counters, std::string method)
      : counters_(counters), method_(std::move(method)) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      counters_.Count(method_, methods->GetSendStatus().error_code());
    }
    methods->Proceed();
  }

 private:
  HandledCounters& counters_;
  const std::string method_;
};

class RequestMetricsFactoryImpl final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit RequestMetricsFactoryImpl(metrics::MetricRegistry& metrics) : counters_(metrics) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new RequestMetrics(counters_, info->method());
  }

 private:
  HandledCounters counters_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> RequestMetricsFactory(
    metrics::MetricRegistry& metrics) {
  return std::make_unique<RequestMetricsFactoryImpl>(metrics);
}

}  // namespace tiendo::server
