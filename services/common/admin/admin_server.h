// AdminServer: the small HTTP/1.1 server on each service's admin port that
// serves operational endpoints (/metrics, /healthz, /readyz). It handles one
// connection at a time, GET and HEAD only, and closes every connection after
// the response: scrapers and probes need nothing more.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace tiendo::admin {

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

// Produces the response for one path; called on the server's thread.
using Handler = std::function<HttpResponse()>;

class AdminServer {
 public:
  // Binds `host:port` (port 0 picks a free one), then serves `routes` (path
  // → handler) on a background thread until Stop().
  static absl::StatusOr<std::unique_ptr<AdminServer>> Start(const std::string& host, int port,
                                                            std::map<std::string, Handler> routes);
  ~AdminServer();
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  // The bound port.
  int port() const { return port_; }

  // Stops accepting, cuts off the exchange in progress, joins the thread. Idempotent.
  void Stop();

 private:
  AdminServer(int listen_fd, int wake_read, int wake_write, int port,
              std::map<std::string, Handler> routes);
  void Serve();
  // One request and its answer, each within a couple of seconds.
  void HandleConnection(int fd);
  // Waits until `fd` has `events` (or was closed): false at `deadline`, or once Stop() was
  // called.
  bool AwaitSocket(int fd, int16_t events, absl::Time deadline) const;
  // Sends `data` until it is all gone, the client goes, or `deadline` (or Stop()) comes.
  void WriteAll(int fd, absl::string_view data, absl::Time deadline) const;

  const int listen_fd_;
  const int wake_read_;
  const int wake_write_;
  const int port_;
  const std::map<std::string, Handler> routes_;
  std::thread thread_;
  bool stopped_ = false;
  bool accept_failing_ = false;  // on the server's thread
};

}  // namespace tiendo::admin
