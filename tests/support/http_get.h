// A minimal HTTP/1.1 GET for tests of the admin endpoints.
#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace tiendo::testing {

struct HttpResult {
  int status = 0;
  std::string content_type;
  std::string body;
};

// GET http://127.0.0.1:port/path (or another `method`), reading until the
// server closes the connection.
absl::StatusOr<HttpResult> HttpGet(int port, const std::string& path,
                                   const std::string& method = "GET");

}  // namespace tiendo::testing
