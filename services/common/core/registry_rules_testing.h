// Test support for the registry rules' tests: matchers on Problems and a small map of
// administrative units (Bà Rịa - Vũng Tàu's 2025 mergers). Included by tests only.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/core/administrative_units.h"
#include "services/common/core/problem.h"

namespace tiendo::core {

// Readable failure messages.
inline void PrintTo(const Problem& problem, std::ostream* out) {
  *out << SeverityName(problem.severity) << " " << problem.path << " [" << problem.rule << "] "
       << problem.message;
}

namespace testing_support {

inline std::string Describe(const std::vector<Problem>& problems) {
  return absl::StrJoin(problems, "\n", [](std::string* out, const Problem& p) {
    absl::StrAppend(out, SeverityName(p.severity), " ", p.path, " [", p.rule, "] ", p.message);
  });
}

// An error (or a problem of `severity`) at `path` under `rule` whose message contains
// `message_part`.
inline auto ProblemAt(const std::string& path, const std::string& rule,
                      const std::string& message_part = "",
                      Severity severity = Severity::kError) {
  return ::testing::AllOf(::testing::Field(&Problem::path, path),
                          ::testing::Field(&Problem::rule, rule),
                          ::testing::Field(&Problem::severity, severity),
                          ::testing::Field(&Problem::message, ::testing::HasSubstr(message_part)));
}

// 77 (Bà Rịa - Vũng Tàu, until 2025-06-30, then 79); 79 (Hồ Chí Minh); 752 (Long Điền,
// 1994-06-02..2024-12-31, then 757); 757 (Long Đất, 2025-01-01..2025-06-30, then 79).
inline AdministrativeUnits BaRiaVungTauUnits() {
  AdministrativeUnits units;
  const auto add = [&units](const char* code, const char* name,
                            registry::v1::AdministrativeLevel level, const char* parent,
                            const char* from, const char* to, const char* successor) {
    registry::v1::AdministrativeUnit unit;
    unit.set_code(code);
    unit.set_name_vi(name);
    unit.set_level(level);
    unit.set_parent_code(parent);
    unit.set_valid_from(from);
    unit.set_valid_to(to);
    if (*successor != '\0') unit.add_successor_codes(successor);
    EXPECT_TRUE(units.Upsert(unit).ok()) << code;
  };
  add("77", "Bà Rịa - Vũng Tàu", registry::v1::ADMINISTRATIVE_LEVEL_PROVINCE, "", "1991-08-12",
      "2025-06-30", "79");
  add("79", "Hồ Chí Minh", registry::v1::ADMINISTRATIVE_LEVEL_PROVINCE, "", "", "", "");
  add("752", "Long Điền", registry::v1::ADMINISTRATIVE_LEVEL_DISTRICT, "77", "1994-06-02",
      "2024-12-31", "757");
  add("757", "Long Đất", registry::v1::ADMINISTRATIVE_LEVEL_DISTRICT, "77", "2025-01-01",
      "2025-06-30", "79");
  return units;
}

}  // namespace testing_support
}  // namespace tiendo::core
