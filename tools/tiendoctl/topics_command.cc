// tiendoctl topics ensure: creates the suite's Kafka topics that do not exist
// yet, with their settings (the services do the same when they start).
#include "absl/time/time.h"
#include "services/common/kafka/kafka_admin.h"
#include "tools/tiendoctl/command.h"

namespace tiendo::ctl {
namespace {

int Run(const std::vector<std::string>& args, Io& io) {
  kafka::KafkaOptions options;
  absl::Duration timeout = absl::Seconds(15);
  config::FlagSet flags("tiendoctl topics ensure",
                        "Creates every tiendo topic that does not exist yet (compacted "
                        "registry and progress topics, the submission log kept forever, "
                        "dead letters for 30 days) and reports which existed already. "
                        "Existing topics are not changed.");
  kafka::RegisterKafkaFlags(flags, &options);
  flags.AddDuration("timeout", "", "Deadline for reaching the brokers and creating the topics.",
                    &timeout);
  if (int code = ParseCommandFlags(flags, args, io); code >= 0) return code;

  absl::StatusOr<std::unique_ptr<kafka::KafkaAdmin>> admin =
      kafka::KafkaAdmin::Create(options, "tiendoctl");
  if (!admin.ok()) {
    io.err << "tiendoctl: " << admin.status().message() << "\n";
    return 2;
  }
  if (absl::Status reachable = (*admin)->CheckConnection(timeout); !reachable.ok()) {
    io.err << "tiendoctl: " << reachable.message() << "\n";
    return 1;
  }
  absl::StatusOr<std::vector<kafka::EnsuredTopic>> ensured =
      (*admin)->EnsureTopics(kafka::SuiteTopics(options), timeout);
  if (!ensured.ok()) {
    io.err << "tiendoctl: " << ensured.status().message() << "\n";
    return 1;
  }
  for (const kafka::EnsuredTopic& topic : *ensured) {
    io.out << topic.name << "\t"
           << (topic.outcome == kafka::TopicOutcome::kCreated ? "created" : "exists") << "\n";
  }
  return 0;
}

}  // namespace

Command TopicsEnsureCommand() {
  return {"topics ensure", "Create the suite's Kafka topics that are missing.", Run};
}

}  // namespace tiendo::ctl
