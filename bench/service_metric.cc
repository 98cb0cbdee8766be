#include "bench/service_metric.h"

#include "absl/strings/str_cat.h"
#include "tests/support/http_get.h"

namespace tiendo::bench {

double Metric(const testing::ServiceUnderTest& service, const std::string& name) {
  absl::StatusOr<testing::HttpResult> metrics = testing::HttpGet(service.admin_port, "/metrics");
  if (!metrics.ok()) return -1;
  const std::string prefix = absl::StrCat("\n", name, " ");
  const size_t at = metrics->body.find(prefix);
  return at == std::string::npos ? -1 : std::stod(metrics->body.substr(at + prefix.size()));
}

}  // namespace tiendo::bench
