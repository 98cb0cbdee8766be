#include "services/registry/import_reactor.h"

#include "google/protobuf/io/coded_stream.h"
#include "services/common/status/status_macros.h"

namespace tiendo::registry {

absl::Status ImportMessage(
    Call& call, const EntityRules& rules, const v1::ImportOptions& options,
    const std::vector<std::pair<int64_t, const google::protobuf::Message*>>& rows,
    v1::ImportSummary& summary,
    google::protobuf::RepeatedPtrField<v1::ImportRowResult>& results, size_t& listed_bytes) {
  std::vector<v1::ImportRowResult> outcomes;
  outcomes.reserve(rows.size());
  RETURN_IF_ERROR(call.command().store.Write(
      call.command().write, options.dry_run(), [&](RegistryWrite& write) -> absl::Status {
        EntityWriter writer(write);
        std::unique_ptr<google::protobuf::Message> entity = rules.New();
        for (const auto& [row_number, row] : rows) {
          entity->CopyFrom(*row);
          ASSIGN_OR_RETURN(v1::ImportRowResult result,
                           ImportRow(writer, rules, call.lookups(), options, row_number,
                                     *entity));
          outcomes.push_back(std::move(result));
        }
        return absl::OkStatus();
      }));
  // Counted only once the message committed: a failed message reports nothing as done.
  for (v1::ImportRowResult& result : outcomes) {
    summary.set_rows_received(summary.rows_received() + 1);
    switch (result.outcome()) {
      case v1::IMPORT_OUTCOME_CREATED:
        summary.set_rows_created(summary.rows_created() + 1);
        break;
      case v1::IMPORT_OUTCOME_UPDATED:
        summary.set_rows_updated(summary.rows_updated() + 1);
        break;
      case v1::IMPORT_OUTCOME_UNCHANGED:
        summary.set_rows_unchanged(summary.rows_unchanged() + 1);
        break;
      default:
        summary.set_rows_rejected(summary.rows_rejected() + 1);
        break;
    }
    if (options.report_all_rows() || result.outcome() == v1::IMPORT_OUTCOME_REJECTED) {
      // As the response holds it: with its field's tag and length.
      const size_t size = result.ByteSizeLong();
      const size_t bytes =
          1 + google::protobuf::io::CodedOutputStream::VarintSize64(size) + size;
      // Once one is left out, so are all after it: the list is the first rows, without gaps.
      if (summary.results_omitted() > 0 || listed_bytes + bytes > kMaxListedResultBytes) {
        summary.set_results_omitted(summary.results_omitted() + 1);
      } else {
        listed_bytes += bytes;
        *results.Add() = std::move(result);
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace tiendo::registry
