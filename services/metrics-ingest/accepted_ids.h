// AcceptedIds (tiendo.submissions.ledger.v1): how accepted ids are packed into records, and
// read back.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "services/metrics-ingest/fingerprint.h"
#include "tiendo/events/v1/accepted_ids.pb.h"

namespace tiendo::ingest {

// Ids per record: about 40 bytes each, so a record stays far below Kafka's default limit of
// 1 MB (message.max.bytes) however many ids are announced at once.
inline constexpr int kMaxIdsPerRecord = 10000;

// An accepted id as the ledger holds it: the fingerprints of its LedgerKey and of its content.
using AcceptedIdFingerprints = std::pair<Fingerprint, ContentFingerprint>;

// The records that announce `ids` written by `writer`: one,
// or more for over kMaxIdsPerRecord; none for no ids.
std::vector<events::v1::AcceptedIds> PackAcceptedIds(
    const std::string& writer, const std::vector<AcceptedIdFingerprints>& ids);

// An announced id's key and content fingerprints.
AcceptedIdFingerprints UnpackAcceptedId(const events::v1::AcceptedId& id);

}  // namespace tiendo::ingest
