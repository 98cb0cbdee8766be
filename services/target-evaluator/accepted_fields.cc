#include "services/target-evaluator/accepted_fields.h"

#include <bit>
#include <cstring>

#include "services/common/core/utf8_text.h"

namespace tiendo::evaluator {
namespace {

static_assert(std::endian::native == std::endian::little,
              "fixed64 fields are read as they lie in the record");

enum WireType : uint32_t { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5 };

// A cursor over the bytes of one message. Every read is false when the bytes are not what it
// reads, or when they do not hold the wire type the schema gives the field.
class WireCursor {
 public:
  explicit WireCursor(absl::string_view bytes) : next_(bytes.data()), end_(next_ + bytes.size()) {}

  bool done() const { return next_ == end_; }

  bool Tag(uint32_t& number, uint32_t& wire_type) {
    uint64_t tag = 0;
    if (!Varint32(tag) || (tag >> 3) == 0) return false;
    number = static_cast<uint32_t>(tag >> 3);
    wire_type = static_cast<uint32_t>(tag & 7);
    return true;
  }

  bool Varint(uint32_t wire_type, uint64_t& value) {
    return wire_type == kVarint && ReadVarint(value);
  }

  bool Double(uint32_t wire_type, double& value) {
    if (wire_type != kFixed64 || end_ - next_ < 8) return false;
    std::memcpy(&value, next_, sizeof(value));
    next_ += 8;
    return true;
  }

  bool Bytes(uint32_t wire_type, absl::string_view& bytes) {
    uint64_t length = 0;
    if (wire_type != kLengthDelimited || !Varint32(length) || length > INT32_MAX ||
        length > static_cast<uint64_t>(end_ - next_)) {
      return false;
    }
    bytes = absl::string_view(next_, length);
    next_ += length;
    return true;
  }

  // proto3 strings must be UTF-8: protobuf's parser fails the message otherwise.
  bool Text(uint32_t wire_type, absl::string_view& text) {
    return Bytes(wire_type, text) && core::IsValidUtf8(text);
  }

  // Passes over a field the reader does not know; false for groups, which ingest never writes.
  bool Skip(uint32_t wire_type) {
    uint64_t ignored_number = 0;
    double ignored_double = 0;
    absl::string_view ignored_bytes;
    switch (wire_type) {
      case kVarint:
        return ReadVarint(ignored_number);
      case kFixed64:
        return Double(wire_type, ignored_double);
      case kLengthDelimited:
        return Bytes(wire_type, ignored_bytes);
      case kFixed32:
        if (end_ - next_ < 4) return false;
        next_ += 4;
        return true;
      default:
        return false;
    }
  }

 private:
  // A varint of at most `max_bytes` bytes whose value fits `bits` bits. Protobuf reads a
  // value's varint in up to ten bytes, but a tag or a length in up to five, holding 32 bits:
  // a longer encoding of the same number (zero-padded) fails its parse.
  bool ReadVarint(uint64_t& value, int max_bytes = 10, int bits = 64) {
    value = 0;
    for (int i = 0; i < max_bytes; ++i) {
      if (next_ == end_) return false;
      const auto byte = static_cast<uint8_t>(*next_++);
      const int shift = 7 * i;
      if (bits - shift < 7 && (byte & 0x7Fu) >> (bits - shift) != 0) return false;
      value |= uint64_t{byte & 0x7Fu} << shift;
      if (byte < 0x80) return true;
    }
    return false;
  }
  bool Varint32(uint64_t& value) { return ReadVarint(value, 5, 32); }

  const char* next_;
  const char* end_;
};

// Reads the fields of the message in `bytes` in order: `read_field(number, wire_type, in)`
// reads one, or skips it (in.Skip) if it is not one it knows.
template <typename ReadField>
bool ReadFields(absl::string_view bytes, ReadField read_field) {
  WireCursor in(bytes);
  while (!in.done()) {
    uint32_t number = 0;
    uint32_t wire_type = 0;
    if (!in.Tag(number, wire_type) || !read_field(number, wire_type, in)) return false;
  }
  return true;
}

// google.protobuf.Timestamp.
bool ReadTimestamp(absl::string_view bytes, int64_t& seconds, int32_t& nanos) {
  return ReadFields(bytes, [&](uint32_t number, uint32_t wire_type, WireCursor& in) {
    uint64_t value = 0;
    switch (number) {
      case 1:
        if (!in.Varint(wire_type, value)) return false;
        seconds = static_cast<int64_t>(value);
        return true;
      case 2:
        if (!in.Varint(wire_type, value)) return false;
        nanos = static_cast<int32_t>(value);
        return true;
      default:
        return in.Skip(wire_type);
    }
  });
}

// tiendo.common.v1.Ratio.
bool ReadRatio(absl::string_view bytes, core::SubmissionFields& submission) {
  return ReadFields(bytes, [&](uint32_t number, uint32_t wire_type, WireCursor& in) {
    switch (number) {
      case 1:
        return in.Double(wire_type, submission.value);
      case 2:
        return in.Double(wire_type, submission.denominator);
      default:
        return in.Skip(wire_type);
    }
  });
}

// An entry of Submission.disaggregation (map<string, string>): replaces the value of a
// dimension already there.
bool ReadDisaggregationEntry(absl::string_view bytes, core::Disaggregation& disaggregation) {
  absl::string_view dimension;
  absl::string_view value;
  const bool read = ReadFields(bytes, [&](uint32_t number, uint32_t wire_type, WireCursor& in) {
    switch (number) {
      case 1:
        return in.Text(wire_type, dimension);
      case 2:
        return in.Text(wire_type, value);
      default:
        return in.Skip(wire_type);
    }
  });
  if (!read) return false;
  for (auto& [held_dimension, held_value] : disaggregation) {
    if (held_dimension == dimension) {
      held_value = value;
      return true;
    }
  }
  disaggregation.emplace_back(dimension, value);
  return true;
}

// tiendo.ingest.v1.Submission.
bool ReadSubmission(absl::string_view bytes, core::SubmissionFields& submission) {
  using Figure = core::SubmissionFields::Figure;
  return ReadFields(bytes, [&](uint32_t number, uint32_t wire_type, WireCursor& in) {
    absl::string_view nested;
    uint64_t varint = 0;
    int64_t ignored_seconds = 0;
    int32_t ignored_nanos = 0;
    switch (number) {
      case 1:
        return in.Text(wire_type, submission.submission_id);
      case 2:
        return in.Text(wire_type, submission.reporting_unit_id);
      case 3:
        return in.Text(wire_type, submission.indicator_id);
      case 4:
        return in.Text(wire_type, submission.period);
      case 5:
        return in.Bytes(wire_type, nested) &&
               ReadDisaggregationEntry(nested, submission.disaggregation);
      case 6:  // figure.value: replaces a ratio
        if (!in.Double(wire_type, submission.value)) return false;
        submission.figure = Figure::kValue;
        submission.denominator = 0;
        return true;
      case 7:  // figure.ratio: replaces a value, merges into a ratio
        if (!in.Bytes(wire_type, nested)) return false;
        if (submission.figure != Figure::kRatio) {
          submission.figure = Figure::kRatio;
          submission.value = 0;
          submission.denominator = 0;
        }
        return ReadRatio(nested, submission);
      case 8:  // submitted_at: not used, but must be well formed
        return in.Bytes(wire_type, nested) &&
               ReadTimestamp(nested, ignored_seconds, ignored_nanos);
      case 9:   // source_system
      case 10:  // comment
        return in.Text(wire_type, nested);
      case 11:
        if (!in.Varint(wire_type, varint)) return false;
        submission.kind = static_cast<ingest::v1::SubmissionKind>(static_cast<int32_t>(varint));
        return true;
      default:
        return in.Skip(wire_type);
    }
  });
}

// tiendo.common.v1.RecordPosition or tiendo.events.v1.RecordHeader, read for their
// well-formedness only: field 1 (the topic, the header's key) is text, the others are not.
bool CheckTextFirstField(absl::string_view bytes) {
  return ReadFields(bytes, [](uint32_t number, uint32_t wire_type, WireCursor& in) {
    absl::string_view text;
    return number == 1 ? in.Text(wire_type, text) : in.Skip(wire_type);
  });
}

// tiendo.events.v1.SourceRecord (the raw record an item of the Kafka-direct path came in),
// read for its well-formedness only.
bool CheckSourceRecord(absl::string_view bytes) {
  return ReadFields(bytes, [](uint32_t number, uint32_t wire_type, WireCursor& in) {
    absl::string_view nested;
    int64_t ignored_seconds = 0;
    int32_t ignored_nanos = 0;
    switch (number) {
      case 1:
        return in.Bytes(wire_type, nested) && CheckTextFirstField(nested);
      case 2:
        return in.Bytes(wire_type, nested) &&
               ReadTimestamp(nested, ignored_seconds, ignored_nanos);
      case 3:  // key: bytes, unchecked
        return in.Bytes(wire_type, nested);
      case 4:
        return in.Bytes(wire_type, nested) && CheckTextFirstField(nested);
      default:
        return in.Skip(wire_type);
    }
  });
}

}  // namespace

absl::Time AcceptedFields::accepted_at() const {
  // Saturates where seconds * 1,000,000 would overflow.
  return absl::FromUnixSeconds(accepted_at_seconds) +
         absl::Microseconds(accepted_at_nanos / 1000);
}

std::optional<AcceptedFields> AcceptedFields::Read(absl::string_view bytes) {
  AcceptedFields fields;
  const bool read = ReadFields(bytes, [&](uint32_t number, uint32_t wire_type, WireCursor& in) {
    absl::string_view nested;
    uint64_t ignored_number = 0;
    switch (number) {
      case 1:
        return in.Bytes(wire_type, nested) && ReadSubmission(nested, fields.submission);
      case 2:  // token_id
      case 7:  // ingest_instance
        return in.Text(wire_type, nested);
      case 3:
        return in.Bytes(wire_type, nested) &&
               ReadTimestamp(nested, fields.accepted_at_seconds, fields.accepted_at_nanos);
      case 4:  // ingest_path
      case 6:  // raw_item_index
        return in.Varint(wire_type, ignored_number);
      case 5:
        return in.Bytes(wire_type, nested) && CheckSourceRecord(nested);
      default:
        return in.Skip(wire_type);
    }
  });
  if (!read) return std::nullopt;
  return fields;
}

AcceptedFields AcceptedFields::Of(const events::v1::AcceptedSubmission& event) {
  AcceptedFields fields;
  fields.submission = core::SubmissionFields::Of(event.submission());
  fields.accepted_at_seconds = event.accepted_at().seconds();
  fields.accepted_at_nanos = event.accepted_at().nanos();
  return fields;
}

}  // namespace tiendo::evaluator
