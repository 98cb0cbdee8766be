// How tiendoctl words metrics-ingest's answers: a rejection reason as the lower_snake_case
// suffix of its enum name (REJECTION_REASON_NOT_AUTHORISED → `not_authorised`, as
// rejection_reason.proto asks of tools), a record position as `topic [p3 @ 1234]`, and one
// line per answered item (`ACCEPTED <id> → tiendo.submissions.v1 [p3 @ 1234]`).
#pragma once

#include <string>

#include "tiendo/common/v1/record_position.pb.h"
#include "tiendo/ingest/v1/rejection_reason.pb.h"
#include "tiendo/ingest/v1/submission_result.pb.h"

namespace tiendo::ctl {

// `not_authorised`; `unspecified` for 0 and for a value this build does not know (the
// contract says to treat those alike).
std::string RejectionReasonWord(int reason);

// `tiendo.submissions.v1 [p3 @ 1234]`.
std::string RecordPositionText(const common::v1::RecordPosition& position);

// One item's answer, without a trailing newline:
//   ACCEPTED <id> → <topic> [p<partition> @ <offset>]   (`ACCEPTED <id> (dry run)` with none)
//   DUPLICATE <id> → <position of the original>: <message>   (parts present when known)
//   REJECTED <id> <reason>: <message> (field <field>)
std::string SubmissionResultLine(const ingest::v1::SubmissionResult& result);

}  // namespace tiendo::ctl
