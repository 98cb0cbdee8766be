#include "services/common/kafka/key_partition.h"

#include <librdkafka/rdkafka.h>

namespace tiendo::kafka {

int32_t KeyPartition(absl::string_view key, int32_t partitions) {
  // The partitioner reads neither the topic handle nor the opaques for a non-empty key.
  return rd_kafka_msg_partitioner_consistent_random(nullptr, key.data(), key.size(), partitions,
                                                    nullptr, nullptr);
}

}  // namespace tiendo::kafka
