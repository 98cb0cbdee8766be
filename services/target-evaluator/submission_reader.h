// SubmissionReader: this replica's share of tiendo.submissions.v1, read in the evaluators'
// consumer group on a thread of its own. It starts once the registry and the read model
// have caught up (the engine needs the indicators; a partition going live needs to know what
// the progress topic holds). Every partition the group gives it is read from its first
// offset (its cells are rebuilt from the log) and goes live once it has read what the
// partition held when it was taken and the read model has read every progress event
// published so far; a partition taken away is dropped from the engine after the events
// published for it are flushed, so that its next owner reads them.
//
// Offsets are not committed: a replica's state covers no partition it was not given whole.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "absl/synchronization/notification.h"
#include "services/common/kafka/consumer.h"
#include "services/common/kafka/kafka_options.h"
#include "services/common/kafka/producer.h"
#include "services/common/registry_view/registry_follower.h"
#include "services/target-evaluator/progress_engine.h"
#include "services/target-evaluator/progress_read_model.h"

namespace tiendo::evaluator {

class SubmissionReader {
 public:
  // `membership`: consumer settings of the group member (session timeout, static id).
  SubmissionReader(const kafka::KafkaOptions& kafka, std::string group_id,
                   std::map<std::string, std::string> membership,
                   registry_view::RegistryFollower& registry, ProgressReadModel& read_model,
                   ProgressEngine& engine, kafka::Producer& producer);
  ~SubmissionReader();
  SubmissionReader(const SubmissionReader&) = delete;
  SubmissionReader& operator=(const SubmissionReader&) = delete;

  void Start();
  // Leaves the group (dropping its partitions) and ends the thread. Idempotent.
  void Stop();

 private:
  void Run();
  // Waits until the engine has the registry and the read model has caught up; false if
  // stopped first.
  bool AwaitInputs();
  // Reads as a group member until stopped or the consumer fails; `probe` asks watermarks.
  void Consume(kafka::Consumer& consumer, kafka::Consumer& probe);
  // Takes live the partitions that have read what they held when taken.
  void GoLiveWhereCaughtUp(kafka::Consumer& consumer, kafka::Consumer& probe);

  const kafka::KafkaOptions kafka_;
  const std::string group_id_;
  const std::map<std::string, std::string> membership_;
  const std::string submissions_topic_;
  const std::string progress_topic_;
  registry_view::RegistryFollower& registry_;
  ProgressReadModel& read_model_;
  ProgressEngine& engine_;
  kafka::Producer& producer_;
  // Partitions taken and not yet live → the end to read up to (-1: not known yet). Used by
  // the reader's thread only (the rebalance listener runs on it).
  std::map<int32_t, int64_t> catching_up_;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace tiendo::evaluator
