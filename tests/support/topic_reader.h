// TopicReader: every record of one topic from offset zero, as a test checks what a service
// wrote there — up to the end the topic has now, or until what was read satisfies a
// condition. Outside any consumer group; owned by the thread that calls it.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/common/kafka/consumer.h"
#include "services/common/kafka/record.h"

namespace tiendo::testing {

class TopicReader {
 public:
  using Records = std::vector<kafka::ConsumedRecord>;

  // A reader of `topic` (its full name, prefix included) on the broker at `bootstrap`.
  static absl::StatusOr<std::unique_ptr<TopicReader>> Open(const std::string& bootstrap,
                                                           const std::string& topic);
  ~TopicReader();

  // Reads until every partition is read up to the end it has when this is called.
  absl::Status ReadToEnd(absl::Duration timeout);

  // Reads until `done(records())` holds; DEADLINE_EXCEEDED if it does not within `timeout`.
  absl::Status ReadUntil(const std::function<bool(const Records&)>& done, absl::Duration timeout);

  // Every record read so far, per partition in offset order.
  const Records& records() const { return records_; }

 private:
  TopicReader(std::unique_ptr<kafka::Consumer> consumer, std::string topic)
      : consumer_(std::move(consumer)), topic_(std::move(topic)) {}
  // Polls once (up to 100 ms), keeping what arrives.
  absl::Status PollOnce();

  std::unique_ptr<kafka::Consumer> consumer_;
  const std::string topic_;
  Records records_;
};

// The values of `records` parsed as `Message`, in order; DATA_LOSS naming the first record that
// is not one.
template <typename Message>
absl::StatusOr<std::vector<Message>> ParseRecords(const TopicReader::Records& records) {
  std::vector<Message> messages;
  for (const kafka::ConsumedRecord& record : records) {
    if (!record.value.has_value() || !messages.emplace_back().ParseFromString(*record.value)) {
      return absl::DataLossError(absl::StrCat(record.position.topic, "[", record.position.partition,
                                              "]@", record.position.offset, " is not a ",
                                              Message::descriptor()->full_name()));
    }
  }
  return messages;
}

}  // namespace tiendo::testing
