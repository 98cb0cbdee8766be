// RETURN_IF_ERROR and ASSIGN_OR_RETURN for absl::Status / absl::StatusOr.
// Debian's Abseil (20220623) does not ship status_macros.h, so the project
// defines them once, here.
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define TIENDO_STATUS_CONCAT_INNER(a, b) a##b
#define TIENDO_STATUS_CONCAT(a, b) TIENDO_STATUS_CONCAT_INNER(a, b)

// Returns the status from the enclosing function if `expr` is not OK.
#define RETURN_IF_ERROR(expr)                    \
  do {                                           \
    if (::absl::Status tiendo_status_ = (expr);  \
        !tiendo_status_.ok()) {                  \
      return tiendo_status_;                     \
    }                                            \
  } while (false)

// ASSIGN_OR_RETURN(lhs, expr): evaluates `expr` (an absl::StatusOr<T>); on
// error returns its status, otherwise moves the value into `lhs`, which may
// be a declaration (`auto x`) or an existing variable.
#define ASSIGN_OR_RETURN(lhs, expr) \
  TIENDO_ASSIGN_OR_RETURN_IMPL(TIENDO_STATUS_CONCAT(tiendo_statusor_, __LINE__), lhs, expr)

#define TIENDO_ASSIGN_OR_RETURN_IMPL(statusor, lhs, expr) \
  auto statusor = (expr);                                 \
  if (!statusor.ok()) {                                   \
    return std::move(statusor).status();                  \
  }                                                       \
  lhs = std::move(statusor).value()
