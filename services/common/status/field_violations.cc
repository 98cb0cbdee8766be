#include "services/common/status/field_violations.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace tiendo::status {

absl::Status InvalidArgumentWithViolations(
    const std::vector<common::v1::FieldViolation>& violations, absl::string_view message) {
  std::string text(message);
  if (text.empty()) {
    for (const common::v1::FieldViolation& violation : violations) {
      absl::StrAppend(&text, text.empty() ? "" : "; ", violation.field(),
                      violation.field().empty() ? "" : ": ", violation.description());
    }
  }
  absl::Status status = absl::InvalidArgumentError(text);
  if (!violations.empty()) {
    common::v1::BadRequest detail;
    for (const common::v1::FieldViolation& violation : violations) {
      *detail.add_field_violations() = violation;
    }
    status.SetPayload(kBadRequestTypeUrl, absl::Cord(detail.SerializeAsString()));
  }
  return status;
}

std::vector<common::v1::FieldViolation> FieldViolationsOf(const absl::Status& status) {
  const absl::optional<absl::Cord> payload = status.GetPayload(kBadRequestTypeUrl);
  common::v1::BadRequest detail;
  if (!payload.has_value() || !detail.ParseFromString(std::string(*payload))) return {};
  return {detail.field_violations().begin(), detail.field_violations().end()};
}

common::v1::FieldViolation Violation(std::string field, std::string rule,
                                     std::string description) {
  common::v1::FieldViolation violation;
  violation.set_field(std::move(field));
  violation.set_rule(std::move(rule));
  violation.set_description(std::move(description));
  return violation;
}

}  // namespace tiendo::status
