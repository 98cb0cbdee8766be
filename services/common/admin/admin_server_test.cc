#include "services/common/admin/admin_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/support/http_get.h"

namespace tiendo::admin {
namespace {

using ::tiendo::testing::HttpGet;

class AdminServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = AdminServer::Start(
        "127.0.0.1", 0,
        {{"/metrics", [] { return HttpResponse{200, "text/plain; version=0.0.4", "up 1\n"}; }},
         {"/readyz", [] { return HttpResponse{503, "text/plain", "NOT_SERVING\n"}; }}});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }
  std::unique_ptr<AdminServer> server_;
};

TEST_F(AdminServerTest, ServesARouteWithItsStatusAndContentType) {
  auto metrics = HttpGet(server_->port(), "/metrics");
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  EXPECT_EQ(metrics->status, 200);
  EXPECT_EQ(metrics->content_type, "text/plain; version=0.0.4");
  EXPECT_EQ(metrics->body, "up 1\n");

  auto ready = HttpGet(server_->port(), "/readyz?verbose=1");
  ASSERT_TRUE(ready.ok()) << ready.status();
  EXPECT_EQ(ready->status, 503);
  EXPECT_EQ(ready->body, "NOT_SERVING\n");
}

TEST_F(AdminServerTest, AnswersHeadWithoutABody) {
  auto head = HttpGet(server_->port(), "/metrics", "HEAD");
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->body, "");
}

TEST_F(AdminServerTest, RefusesUnknownPathsAndOtherMethods) {
  auto missing = HttpGet(server_->port(), "/nope");
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->status, 404);
  EXPECT_NE(missing->body.find("available: /metrics /readyz"), std::string::npos);

  auto post = HttpGet(server_->port(), "/metrics", "POST");
  ASSERT_TRUE(post.ok());
  EXPECT_EQ(post->status, 405);
}

TEST_F(AdminServerTest, StopClosesThePort) {
  const int port = server_->port();
  ASSERT_TRUE(HttpGet(port, "/metrics").ok()) << "the port answers before Stop";
  server_->Stop();
  EXPECT_FALSE(HttpGet(port, "/metrics").ok());
}

// A client that sends its request a byte at a time, each within the old per-read timeout,
// is cut off after a couple of seconds: the probes behind it are answered, and Stop() is
// not held by it.
TEST_F(AdminServerTest, ATricklingClientDoesNotHoldThePort) {
  const int slow = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(slow, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(server_->port()));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(slow, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  std::atomic<bool> done{false};
  std::thread trickle([&] {
    for (int i = 0; i < 40 && !done; ++i) {  // up to 10 s of "GET /metri..."
      if (::send(slow, "G", 1, MSG_NOSIGNAL) != 1) return;
      absl::SleepFor(absl::Milliseconds(250));
    }
  });
  absl::SleepFor(absl::Milliseconds(100));  // the trickling client is being served
  const absl::Time start = absl::Now();
  auto metrics = HttpGet(server_->port(), "/metrics");
  const absl::Duration waited = absl::Now() - start;
  done = true;
  trickle.join();
  ::close(slow);
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  EXPECT_EQ(metrics->status, 200);
  EXPECT_LT(waited, absl::Seconds(6));
}

TEST(AdminServerStartTest, FailsNamingTheAddressWhenThePortIsTaken) {
  auto first = AdminServer::Start("127.0.0.1", 0, {});
  ASSERT_TRUE(first.ok());
  auto second = AdminServer::Start("127.0.0.1", (*first)->port(), {});
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find(absl::StrCat("127.0.0.1:", (*first)->port())),
            std::string::npos)
      << second.status();
}

}  // namespace
}  // namespace tiendo::admin
