// KeyPartition: the partition a keyed record lands in, computed without producing it — how an
// evaluator replica knows which targets are its own: a target belongs to whoever holds the
// partition of tiendo.submissions.v1 that its indicator's submissions go to.
//
// It is librdkafka's default partitioner (consistent_random: CRC-32 of the key modulo the
// partition count), the one every tiendo producer uses; a producer configured with another
// `partitioner` (through --kafka-properties) would break the agreement.
#pragma once

#include <cstdint>

#include "absl/strings/string_view.h"

namespace tiendo::kafka {

// `key` must not be empty (an empty key goes to a random partition); `partitions` > 0.
int32_t KeyPartition(absl::string_view key, int32_t partitions);

}  // namespace tiendo::kafka
