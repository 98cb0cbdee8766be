#include "services/metrics-ingest/accepted_ids.h"

namespace tiendo::ingest {

std::vector<events::v1::AcceptedIds> PackAcceptedIds(
    const std::string& writer, const std::vector<AcceptedIdFingerprints>& ids) {
  std::vector<events::v1::AcceptedIds> records;
  for (const auto& [key, content] : ids) {
    if (records.empty() || records.back().ids_size() == kMaxIdsPerRecord) {
      records.emplace_back().set_writer(writer);
    }
    events::v1::AcceptedId& id = *records.back().add_ids();
    id.set_key_first(key.first);
    id.set_key_second(key.second);
    id.set_content_first(content.first);
    id.set_content_second(content.second);
  }
  return records;
}

AcceptedIdFingerprints UnpackAcceptedId(const events::v1::AcceptedId& id) {
  return {{id.key_first(), id.key_second()}, {id.content_first(), id.content_second()}};
}

}  // namespace tiendo::ingest
