#include "services/target-evaluator/report_receipts.h"

#include <algorithm>
#include <climits>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "services/common/core/period.h"
#include "services/common/status/status_macros.h"

// Encoding, version 1. Every number is a protobuf base-128 varint; a "text" is its length
// then its bytes.
//   version (1)
//   indicator count, then per indicator in id order:
//     text indicator id, unit count, then per unit in id order:
//       text unit id, report count, then per report in period-text order:
//         text period, first_accepted_at (Unix microseconds, two's complement as 64 bits),
//         last_accepted_at minus first_accepted_at (microseconds, not negative),
//         cells_with_reading (at least 1)
// Grouping by indicator and unit writes each id once: a province holds tens of units and
// indicators but thousands of reports.

namespace tiendo::evaluator {
namespace {

using google::protobuf::io::CodedInputStream;
using google::protobuf::io::CodedOutputStream;

void WriteText(CodedOutputStream& out, absl::string_view text) {
  out.WriteVarint32(static_cast<uint32_t>(text.size()));
  out.WriteRaw(text.data(), static_cast<int>(text.size()));
}

// Reads the encoding, never past its end; every failure is DATA_LOSS naming the source and
// the part being read.
class ReceiptsReader {
 public:
  ReceiptsReader(absl::string_view bytes, absl::string_view source)
      : in_(reinterpret_cast<const uint8_t*>(bytes.data()), static_cast<int>(bytes.size())),
        size_(bytes.size()),
        source_(source) {}

  absl::Status Damaged(absl::string_view what, absl::string_view why) const {
    return absl::DataLossError(
        absl::StrCat("report receipts in ", source_, ": ", what, ": ", why));
  }

  absl::StatusOr<uint32_t> Number(absl::string_view what) {
    uint32_t value = 0;
    if (!in_.ReadVarint32(&value)) return Damaged(what, "truncated");
    return value;
  }
  absl::StatusOr<uint64_t> Number64(absl::string_view what) {
    uint64_t value = 0;
    if (!in_.ReadVarint64(&value)) return Damaged(what, "truncated");
    return value;
  }
  // A count of items each at least `min_item_size` bytes long, at least 1: the encoder
  // writes no empty group, and a count the bytes left cannot hold is damage.
  absl::StatusOr<uint32_t> Count(absl::string_view what, size_t min_item_size) {
    ASSIGN_OR_RETURN(const uint32_t count, Number(what));
    if (count == 0) return Damaged(what, "an empty group");
    if (count > left() / min_item_size) {
      return Damaged(what, absl::StrCat("a count of ", count, " does not fit in the ", left(),
                                        " bytes left"));
    }
    return count;
  }
  // A text that is not empty.
  absl::StatusOr<std::string> Text(absl::string_view what) {
    ASSIGN_OR_RETURN(const uint32_t length, Number(what));
    if (length == 0) return Damaged(what, "empty");
    if (length > left()) return Damaged(what, "truncated");
    std::string text;
    if (!in_.ReadString(&text, static_cast<int>(length))) return Damaged(what, "truncated");
    return text;
  }

  size_t left() const { return size_ - static_cast<size_t>(in_.CurrentPosition()); }

 private:
  CodedInputStream in_;
  size_t size_;
  absl::string_view source_;
};

// The smallest encoding of a report (period "2025", two one-byte times, one cell) and of a
// group holding one (a one-character id and a count).
constexpr size_t kMinReportSize = 1 + 4 + 1 + 1 + 1;
constexpr size_t kMinGroupSize = 1 + 1 + 1;

}  // namespace

void ReportReceipts::Record(absl::string_view reporting_unit_id, absl::string_view indicator_id,
                            absl::string_view period, absl::Time accepted_at,
                            const core::CellChange& change) {
  if (!change.changed()) return;
  auto it = receipts_.find(KeyView(indicator_id, reporting_unit_id, period));
  const int32_t held = it == receipts_.end() ? 0 : it->second.cells_with_reading;
  int32_t now = held;
  if (!change.before.has_value() && change.after.has_value()) ++now;
  if (change.before.has_value() && !change.after.has_value()) --now;
  // A cell left holding a reading means the report stands, whatever was counted before (a
  // state restored without its receipts learns of the report from its next correction).
  if (change.after.has_value()) now = std::max(now, 1);
  if (now <= 0) {
    if (it != receipts_.end()) receipts_.erase(it);
    return;
  }
  if (it == receipts_.end()) {
    it = receipts_
             .emplace(Key(std::string(indicator_id), std::string(reporting_unit_id),
                          std::string(period)),
                      ReportReceipt{})
             .first;
  }
  ReportReceipt& receipt = it->second;
  if (held == 0) {
    receipt.first_accepted_at = accepted_at;
    receipt.last_accepted_at = accepted_at;
  }
  // Ingest instances' clocks may disagree by a little: the latest time wins, not the last
  // record, so that last_accepted_at never precedes first_accepted_at.
  receipt.last_accepted_at = std::max(receipt.last_accepted_at, accepted_at);
  receipt.cells_with_reading = now;
}

size_t ReportReceipts::Drop(absl::FunctionRef<bool(absl::string_view indicator_id)> dropped) {
  // Asks once per indicator, however many receipts it has.
  absl::flat_hash_map<std::string, bool> answers;  // copies: the receipts go as it runs
  return absl::erase_if(receipts_, [&](const auto& receipt) {
    const std::string& indicator = std::get<0>(receipt.first);
    auto [answer, first_time] = answers.try_emplace(indicator);
    if (first_time) answer->second = dropped(indicator);
    return answer->second;
  });
}

const ReportReceipt* ReportReceipts::Find(absl::string_view reporting_unit_id,
                                          absl::string_view indicator_id,
                                          absl::string_view period) const {
  auto it = receipts_.find(KeyView(indicator_id, reporting_unit_id, period));
  return it == receipts_.end() ? nullptr : &it->second;
}

std::string ReportReceipts::Encode() const {
  using Held = std::pair<const Key, ReportReceipt>;
  std::vector<const Held*> sorted;
  sorted.reserve(receipts_.size());
  for (const Held& held : receipts_) sorted.push_back(&held);
  std::sort(sorted.begin(), sorted.end(),
            [](const Held* a, const Held* b) { return a->first < b->first; });
  using Iterator = std::vector<const Held*>::const_iterator;
  // The runs of adjacent receipts whose keys agree on element `K` of the key.
  auto runs = []<size_t K>(Iterator begin, Iterator end) {
    std::vector<std::pair<Iterator, Iterator>> found;
    while (begin != end) {
      Iterator run_end = begin;
      while (run_end != end && std::get<K>((*run_end)->first) == std::get<K>((*begin)->first)) {
        ++run_end;
      }
      found.emplace_back(begin, run_end);
      begin = run_end;
    }
    return found;
  };
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  {
    CodedOutputStream out(&stream);
    out.WriteVarint32(kEncodingVersion);
    const auto indicators = runs.operator()<0>(sorted.begin(), sorted.end());
    out.WriteVarint32(static_cast<uint32_t>(indicators.size()));
    for (const auto& [indicator_begin, indicator_end] : indicators) {
      WriteText(out, std::get<0>((*indicator_begin)->first));
      const auto units = runs.operator()<1>(indicator_begin, indicator_end);
      out.WriteVarint32(static_cast<uint32_t>(units.size()));
      for (const auto& [unit_begin, unit_end] : units) {
        WriteText(out, std::get<1>((*unit_begin)->first));
        out.WriteVarint32(static_cast<uint32_t>(std::distance(unit_begin, unit_end)));
        for (Iterator report = unit_begin; report != unit_end; ++report) {
          const ReportReceipt& receipt = (*report)->second;
          const int64_t first = absl::ToUnixMicros(receipt.first_accepted_at);
          const int64_t last = absl::ToUnixMicros(receipt.last_accepted_at);
          WriteText(out, std::get<2>((*report)->first));
          out.WriteVarint64(static_cast<uint64_t>(first));
          out.WriteVarint64(static_cast<uint64_t>(last) - static_cast<uint64_t>(first));
          out.WriteVarint32(static_cast<uint32_t>(receipt.cells_with_reading));
        }
      }
    }
  }
  return bytes;
}

absl::StatusOr<ReportReceipts> ReportReceipts::Decode(absl::string_view bytes,
                                                      absl::string_view source) {
  if (bytes.size() > static_cast<size_t>(INT_MAX)) {
    return absl::DataLossError(absl::StrCat("report receipts in ", source, ": ", bytes.size(),
                                            " bytes is more than an encoding holds"));
  }
  ReceiptsReader in(bytes, source);
  ASSIGN_OR_RETURN(const uint32_t version, in.Number("format version"));
  if (version != kEncodingVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("report receipts in ", source, " are in format version ", version,
                     "; this build reads version ", kEncodingVersion));
  }
  ReportReceipts decoded;
  ASSIGN_OR_RETURN(const uint32_t indicators,
                   in.Number("indicator count"));  // 0 for no receipts at all
  if (indicators > in.left() / kMinGroupSize) {
    return in.Damaged("indicator count", absl::StrCat("a count of ", indicators,
                                                      " does not fit in the bytes left"));
  }
  std::optional<Key> previous;
  for (uint32_t i = 0; i < indicators; ++i) {
    ASSIGN_OR_RETURN(const std::string indicator_id, in.Text("indicator id"));
    const std::string where = absl::StrCat("indicator ", indicator_id);
    ASSIGN_OR_RETURN(const uint32_t units, in.Count(absl::StrCat(where, ": unit count"),
                                                    kMinGroupSize));
    for (uint32_t u = 0; u < units; ++u) {
      ASSIGN_OR_RETURN(const std::string unit_id, in.Text(absl::StrCat(where, ": unit id")));
      const std::string at = absl::StrCat(where, ", unit ", unit_id);
      ASSIGN_OR_RETURN(const uint32_t reports,
                       in.Count(absl::StrCat(at, ": report count"), kMinReportSize));
      for (uint32_t r = 0; r < reports; ++r) {
        ASSIGN_OR_RETURN(std::string period, in.Text(absl::StrCat(at, ": period")));
        const std::string report = absl::StrCat(at, ", period ", period);
        if (!core::Period::Parse(period).ok()) return in.Damaged(report, "not a period");
        ASSIGN_OR_RETURN(const uint64_t first, in.Number64(report));
        ASSIGN_OR_RETURN(const uint64_t span, in.Number64(report));
        ASSIGN_OR_RETURN(const uint32_t cells, in.Number(report));
        const int64_t first_micros = static_cast<int64_t>(first);
        // The microseconds left above first_accepted_at, in unsigned arithmetic (the
        // difference always fits).
        if (span > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) - first) {
          return in.Damaged(report, "last_accepted_at is beyond the range of time");
        }
        if (cells == 0 || cells > static_cast<uint32_t>(std::numeric_limits<int32_t>::max())) {
          return in.Damaged(report, absl::StrCat(cells, " cells with a reading"));
        }
        Key key(indicator_id, unit_id, std::move(period));
        if (previous.has_value() && !(*previous < key)) {
          return in.Damaged(report, "out of order or repeated");
        }
        const ReportReceipt receipt{
            absl::FromUnixMicros(first_micros),
            absl::FromUnixMicros(first_micros + static_cast<int64_t>(span)),
            static_cast<int32_t>(cells)};
        previous = key;
        decoded.receipts_.emplace(std::move(key), receipt);
      }
    }
  }
  if (in.left() != 0) {
    return in.Damaged("end", absl::StrCat(in.left(), " bytes after the last report"));
  }
  return decoded;
}

}  // namespace tiendo::evaluator
