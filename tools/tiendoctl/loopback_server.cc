#include "tools/tiendoctl/loopback_server.h"

#include "absl/strings/str_cat.h"

namespace tiendo::ctl::testing {

std::unique_ptr<grpc::Server> StartLoopbackServer(grpc::Service* service, std::string* address) {
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  *address = absl::StrCat("127.0.0.1:", port);
  return server;
}

}  // namespace tiendo::ctl::testing
