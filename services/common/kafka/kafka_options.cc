#include "services/common/kafka/kafka_options.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/logging/log.h"

namespace tiendo::kafka {
namespace {

// librdkafka's syslog levels: 0 emergency .. 7 debug.
void RouteLog(const rd_kafka_t* handle, int level, const char* facility, const char* message) {
  log::Level ours = log::Level::kDebug;
  if (level <= 3) ours = log::Level::kError;
  else if (level == 4) ours = log::Level::kWarning;
  else if (level <= 6) ours = log::Level::kInfo;
  log::Write(ours, message,
             {{"component", "librdkafka"},
              {"client", rd_kafka_name(handle)},
              {"facility", facility}});
}

absl::Status Set(rd_kafka_conf_t* conf, const std::string& key, const std::string& value) {
  char error[512];
  if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), error, sizeof(error)) !=
      RD_KAFKA_CONF_OK) {
    // The value is not repeated: it may be a secret (sasl.password).
    return absl::InvalidArgumentError(absl::StrCat("kafka property ", key, ": ", error));
  }
  return absl::OkStatus();
}

}  // namespace

void RegisterKafkaFlags(config::FlagSet& flags, KafkaOptions* options) {
  flags.AddString("kafka-bootstrap-servers", "TIENDO_KAFKA_BOOTSTRAP_SERVERS",
                  "Kafka brokers to bootstrap from, host:port[,host:port...].",
                  &options->bootstrap_servers);
  flags.AddString("kafka-topic-prefix", "TIENDO_KAFKA_TOPIC_PREFIX",
                  "Prefix for every topic name (e.g. \"staging.\"), so environments sharing a "
                  "cluster keep apart.",
                  &options->topic_prefix);
  flags.AddInt("kafka-topic-partitions", "TIENDO_KAFKA_TOPIC_PARTITIONS",
               "Partitions of the topics the suite creates (existing topics are left as they are).",
               1, 1000, &options->topic_partitions);
  flags.AddInt("kafka-topic-replication-factor", "TIENDO_KAFKA_TOPIC_REPLICATION_FACTOR",
               "Replication factor of the topics the suite creates; -1 uses the broker default.",
               -1, 16, &options->topic_replication_factor);
  flags.AddString("kafka-properties", "TIENDO_KAFKA_PROPERTIES",
                  "Extra librdkafka client properties, key=value[,key=value...] (e.g. "
                  "security.protocol=SASL_SSL); they override the suite's defaults. A value "
                  "may contain '=' but not ','.",
                  &options->extra_properties);
}

absl::StatusOr<ConfPtr> MakeConf(const KafkaOptions& options, const std::string& client_id,
                                 const std::map<std::string, std::string>& settings) {
  ConfPtr conf(rd_kafka_conf_new());
  rd_kafka_conf_set_log_cb(conf.get(), RouteLog);
  if (absl::Status s = Set(conf.get(), "bootstrap.servers", options.bootstrap_servers); !s.ok()) {
    return s;
  }
  if (absl::Status s = Set(conf.get(), "client.id", client_id); !s.ok()) return s;
  // Connection refusals while a broker is down are reported through the
  // service's readiness log line; do not repeat each one.
  if (absl::Status s = Set(conf.get(), "log.connection.close", "false"); !s.ok()) return s;
  for (const auto& [key, value] : settings) {
    if (absl::Status s = Set(conf.get(), key, value); !s.ok()) return s;
  }
  for (absl::string_view item :
       absl::StrSplit(options.extra_properties, ',', absl::SkipWhitespace())) {
    // Split at the first '=' only: a value may hold more (a base64 password, an
    // oauthbearer config of key=value pairs).
    const std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(item, absl::MaxSplits('=', 1));
    const absl::string_view key = absl::StripAsciiWhitespace(kv.first);
    if (key.empty() || item.find('=') == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "kafka properties: \"", item, "\" is not key=value"));
    }
    if (absl::Status s = Set(conf.get(), std::string(key),
                             std::string(absl::StripAsciiWhitespace(kv.second)));
        !s.ok()) {
      return s;
    }
  }
  return conf;
}

}  // namespace tiendo::kafka
