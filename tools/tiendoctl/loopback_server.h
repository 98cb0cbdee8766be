// Serving a test double on a loopback port the kernel picks, for tiendoctl's fakes.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

namespace tiendo::ctl::testing {

// Starts a server for `service` on 127.0.0.1:0; sets `*address` to "127.0.0.1:PORT".
std::unique_ptr<grpc::Server> StartLoopbackServer(grpc::Service* service, std::string* address);

}  // namespace tiendo::ctl::testing
