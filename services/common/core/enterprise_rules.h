// Enterprise rules: the canonical form of an enterprise record and the rules every registry
// write of one must follow (tiendo/registry/v1/enterprise.proto). The registry runs them on
// create and update, importers on every CSV row; nothing here looks anything up itself or
// reads the clock.
//
// Paths are relative to the enterprise (`tax_code`, `platform_adoption.provider_tax_codes[1]`);
// a caller prefixes them (ToFieldViolation). Rules, stable names clients may branch on:
//   required           tax_code, name_vi, administrative_unit_code or registration_date empty
//   format             a malformed tax code (shape, or branch 000), industry code (VSIC: 2 to 5
//                      digits), category or capability (lower_snake_case) or date; text that is
//                      not valid UTF-8
//   check_digit        a well-formed tax code whose tenth digit is not its check digit (the
//                      message names the digit found and the one expected)
//   too_long           name_vi over 500 characters (Unicode code points, not bytes)
//   unknown_reference  administrative_unit_code names no known unit
//   not_valid_at_date  the unit is known but not valid on the day that matters: for a create,
//                      the registration date; for an update, today, and only when the update
//                      moves the enterprise to another unit (so an enterprise whose district
//                      was merged away stays updatable without being moved)
//   order              registration_date <= status_since <= dissolution_date, and
//                      registration_date <= platform_adoption.since, broken
//   inconsistent       is_sme disagrees with a set size_class (micro, small and medium are
//                      SMEs); status DISSOLVED without dissolution_date (reported at
//                      dissolution_date), or dissolution_date with another status (at status)
//   out_of_range       a status or size_class value that the enum does not define
//   immutable          an update whose tax_code differs from the stored one
// and, as warnings: `duplicate` (an industry code listed twice; order matters there, so
// normalisation keeps them) and `ignored` (adoption details while adopted is false).
//
// Left to the caller: tax-code uniqueness (the store knows), that DISSOLVED is set only
// through DissolveEnterprise, and version checks.
#pragma once

#include <vector>

#include "absl/time/civil_time.h"
#include "services/common/core/administrative_units.h"
#include "services/common/core/problem.h"
#include "tiendo/registry/v1/enterprise.pb.h"

namespace tiendo::core {

// Longest name_vi accepted, in characters.
inline constexpr size_t kMaxEnterpriseNameCharacters = 500;

// Brings `enterprise` into the canonical form it is validated and stored in: categories and
// capabilities sorted without repeats (their order means nothing); provider_tax_codes and
// solutions of platform_adoption without repeats, first occurrence kept in place (the order
// is the sender's, e.g. main provider first); status UNSPECIFIED read as ACTIVE. Text is left
// exactly as sent (no trimming, no Unicode normalisation of Vietnamese names).
void NormalizeEnterprise(registry::v1::Enterprise& enterprise);

// Every problem of `enterprise`, which the caller has normalised; empty when it may be
// written. `stored` is the version currently stored, for an update; nullptr for a create.
// `today` is the registry's current day, used when an update moves the enterprise.
std::vector<Problem> ValidateEnterprise(const registry::v1::Enterprise& enterprise,
                                        const AdministrativeUnits& units,
                                        const registry::v1::Enterprise* stored,
                                        absl::CivilDay today);

}  // namespace tiendo::core
