// Field violations carried by an absl::Status: how a validation failure keeps its
// structured detail (tiendo.common.v1.BadRequest — every offending field with its rule) from
// the code that found it to the RPC edge, where grpc/grpc_status.h turns it into the gRPC
// status details generic tooling shows, and back again in clients.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "tiendo/common/v1/field_violation.pb.h"

namespace tiendo::status {

// Payload URL under which the serialised BadRequest rides on an absl::Status; the same type
// URL the gRPC status detail uses.
inline constexpr absl::string_view kBadRequestTypeUrl =
    "type.googleapis.com/google.rpc.BadRequest";

// INVALID_ARGUMENT with `message` and `violations` attached. With an empty `message` the
// message is built from the violations: "<field>: <description>" joined by "; ".
absl::Status InvalidArgumentWithViolations(
    const std::vector<common::v1::FieldViolation>& violations, absl::string_view message = "");

// The violations attached to `status`; empty when there are none.
std::vector<common::v1::FieldViolation> FieldViolationsOf(const absl::Status& status);

// One violation.
common::v1::FieldViolation Violation(std::string field, std::string rule, std::string description);

}  // namespace tiendo::status
