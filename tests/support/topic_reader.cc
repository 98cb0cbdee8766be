#include "tests/support/topic_reader.h"

#include <random>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace tiendo::testing {

absl::StatusOr<std::unique_ptr<TopicReader>> TopicReader::Open(const std::string& bootstrap,
                                                               const std::string& topic) {
  kafka::KafkaOptions options;
  options.bootstrap_servers = bootstrap;
  std::random_device random;
  absl::StatusOr<std::unique_ptr<kafka::Consumer>> consumer =
      kafka::Consumer::Create(options, absl::StrCat("test-topic-reader-", random()), "");
  if (!consumer.ok()) return consumer.status();
  if (absl::Status assigned = (*consumer)->AssignFromBeginning(topic, absl::Seconds(10));
      !assigned.ok()) {
    return assigned;
  }
  return std::unique_ptr<TopicReader>(new TopicReader(*std::move(consumer), topic));
}

TopicReader::~TopicReader() { consumer_->Close(); }

absl::Status TopicReader::PollOnce() {
  absl::StatusOr<std::optional<kafka::ConsumedRecord>> record =
      consumer_->Poll(absl::Milliseconds(100));
  if (!record.ok()) return record.status();
  if (record->has_value()) records_.push_back(**std::move(record));
  return absl::OkStatus();
}

absl::Status TopicReader::ReadToEnd(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  absl::StatusOr<std::map<int32_t, kafka::Watermarks>> ends =
      consumer_->QueryWatermarks(topic_, timeout);
  if (!ends.ok()) return ends.status();
  while (true) {
    absl::StatusOr<bool> caught_up = consumer_->ReadUpTo(topic_, *ends);
    if (!caught_up.ok()) return caught_up.status();
    if (*caught_up) return absl::OkStatus();
    if (absl::Now() >= deadline) {
      return absl::DeadlineExceededError(absl::StrCat(
          "read ", records_.size(), " records of ", topic_, " but not up to its end within ",
          absl::FormatDuration(timeout)));
    }
    if (absl::Status polled = PollOnce(); !polled.ok()) return polled;
  }
}

absl::Status TopicReader::ReadUntil(const std::function<bool(const Records&)>& done,
                                    absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!done(records_)) {
    if (absl::Now() >= deadline) {
      return absl::DeadlineExceededError(absl::StrCat("read ", records_.size(), " records of ",
                                                      topic_, "; the condition did not hold "
                                                      "within ", absl::FormatDuration(timeout)));
    }
    if (absl::Status polled = PollOnce(); !polled.ok()) return polled;
  }
  return absl::OkStatus();
}

}  // namespace tiendo::testing
