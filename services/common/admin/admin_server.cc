#include "services/common/admin/admin_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "services/common/logging/log.h"
#include "services/common/process/thread_name.h"

namespace tiendo::admin {
namespace {

constexpr size_t kMaxRequestBytes = 8192;

absl::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 503:
      return "Service Unavailable";
    default:
      return "Unknown";
  }
}

// How long one client may take to send its request, and to take the answer: a slow or
// silent one must not hold the admin port (and the probes behind it) or a shutdown.
constexpr absl::Duration kExchangeTimeout = absl::Seconds(2);

}  // namespace

absl::StatusOr<std::unique_ptr<AdminServer>> AdminServer::Start(
    const std::string& host, int port, std::map<std::string, Handler> routes) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = absl::StrCat(port);
  if (int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("admin server: cannot resolve listen host \"", host, "\": ",
                     ::gai_strerror(rc)));
  }
  int fd = ::socket(found->ai_family, found->ai_socktype | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    ::freeaddrinfo(found);
    return absl::InternalError(absl::StrCat("admin server: socket: ", std::strerror(errno)));
  }
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (::bind(fd, found->ai_addr, found->ai_addrlen) != 0 || ::listen(fd, 64) != 0) {
    const int error = errno;
    ::freeaddrinfo(found);
    ::close(fd);
    return absl::UnavailableError(absl::StrCat("admin server: cannot listen on ", host, ":",
                                               port, ": ", std::strerror(error)));
  }
  ::freeaddrinfo(found);

  sockaddr_storage bound{};
  socklen_t length = sizeof(bound);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length);
  const int bound_port =
      bound.ss_family == AF_INET6
          ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
          : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);

  int wake[2];
  if (::pipe2(wake, O_CLOEXEC) != 0) {
    ::close(fd);
    return absl::InternalError(absl::StrCat("admin server: pipe: ", std::strerror(errno)));
  }
  std::unique_ptr<AdminServer> server(
      new AdminServer(fd, wake[0], wake[1], bound_port, std::move(routes)));
  server->thread_ = std::thread([s = server.get()] {
    process::NameThisThread("admin-server");
    s->Serve();
  });
  return server;
}

AdminServer::AdminServer(int listen_fd, int wake_read, int wake_write, int port,
                         std::map<std::string, Handler> routes)
    : listen_fd_(listen_fd),
      wake_read_(wake_read),
      wake_write_(wake_write),
      port_(port),
      routes_(std::move(routes)) {}

AdminServer::~AdminServer() { Stop(); }

void AdminServer::Stop() {
  if (stopped_) return;
  stopped_ = true;
  const char byte = 0;
  while (::write(wake_write_, &byte, 1) < 0 && errno == EINTR) {
  }
  if (thread_.joinable()) thread_.join();
  ::close(listen_fd_);
  ::close(wake_read_);
  ::close(wake_write_);
}

void AdminServer::Serve() {
  while (true) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_read_, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      log::Error("admin server: poll failed", {{"error", std::strerror(errno)}});
      return;
    }
    if (fds[1].revents != 0) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    const int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == ECONNABORTED) continue;
      // Out of descriptors or memory: the connection stays queued, and trying again at once
      // would spin. Said once until a connection is accepted again.
      if (!accept_failing_) {
        log::Warning("admin server: cannot accept connections; retrying",
                     {{"error", std::strerror(errno)}});
      }
      accept_failing_ = true;
      pollfd wake = {wake_read_, POLLIN, 0};
      if (::poll(&wake, 1, 100) > 0) return;
      continue;
    }
    accept_failing_ = false;
    HandleConnection(client);
    ::close(client);
  }
}

bool AdminServer::AwaitSocket(int fd, int16_t events, absl::Time deadline) const {
  while (true) {
    const int64_t left_ms = absl::ToInt64Milliseconds(deadline - absl::Now());
    if (left_ms <= 0) return false;
    pollfd fds[2] = {{fd, events, 0}, {wake_read_, POLLIN, 0}};
    const int ready = ::poll(fds, 2, static_cast<int>(left_ms));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0 || fds[1].revents != 0) return false;  // failed, timed out, or stopping
    return true;  // readable, writable, or closed: the next call says which
  }
}

void AdminServer::WriteAll(int fd, absl::string_view data, absl::Time deadline) const {
  while (!data.empty() && AwaitSocket(fd, POLLOUT, deadline)) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) return;  // the client went away; nothing to tell it
    data.remove_prefix(static_cast<size_t>(n));
  }
}

void AdminServer::HandleConnection(int fd) {
  std::string request;
  char buffer[1024];
  const absl::Time read_by = absl::Now() + kExchangeTimeout;
  while (request.find("\r\n\r\n") == std::string::npos && request.size() < kMaxRequestBytes &&
         AwaitSocket(fd, POLLIN, read_by)) {
    const ssize_t n = ::recv(fd, buffer, sizeof(buffer), MSG_DONTWAIT);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) break;
    request.append(buffer, static_cast<size_t>(n));
  }

  HttpResponse response;
  bool head = false;
  const size_t line_end = request.find("\r\n");
  const absl::string_view line = absl::string_view(request).substr(0, line_end);
  const size_t first_space = line.find(' ');
  const size_t second_space =
      first_space == absl::string_view::npos ? first_space : line.find(' ', first_space + 1);
  if (line_end == std::string::npos || second_space == absl::string_view::npos) {
    response = {400, "text/plain; charset=utf-8", "malformed HTTP request\n"};
  } else {
    const absl::string_view method = line.substr(0, first_space);
    absl::string_view target = line.substr(first_space + 1, second_space - first_space - 1);
    target = target.substr(0, target.find('?'));
    head = method == "HEAD";
    const auto route = routes_.find(std::string(target));
    if (method != "GET" && !head) {
      response = {405, "text/plain; charset=utf-8", "only GET and HEAD are served\n"};
    } else if (route == routes_.end()) {
      std::string body = absl::StrCat("no such endpoint: ", target, "\navailable:");
      for (const auto& [path, handler] : routes_) absl::StrAppend(&body, " ", path);
      response = {404, "text/plain; charset=utf-8", body + "\n"};
    } else {
      response = route->second();
    }
  }
  const absl::Time written_by = absl::Now() + kExchangeTimeout;
  WriteAll(fd,
           absl::StrCat("HTTP/1.1 ", response.status, " ", ReasonPhrase(response.status),
                        "\r\nContent-Type: ", response.content_type,
                        "\r\nContent-Length: ", response.body.size(),
                        "\r\nConnection: close\r\n\r\n"),
           written_by);
  if (!head) WriteAll(fd, response.body, written_by);
}

}  // namespace tiendo::admin
