// The "true" figures behind the synthetic submissions: for each home area,
// month and reported indicator, how many users of online public services
// there were and how many of them were authenticated seamlessly
// (online_service_users_authenticated), and how many procedure results were
// issued and how many of them digitised (procedure_results_digitised).
// Usage grows month by month and both shares rise towards 100%, faster in the
// cities than on Côn Đảo. Reporting units report these figures with their own
// small deviations.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>

#include "absl/strings/string_view.h"
#include "tools/sample-data/random.h"

namespace tiendo::sample {

inline constexpr absl::string_view kUsersAuthenticated = "online_service_users_authenticated";
inline constexpr absl::string_view kResultsDigitised = "procedure_results_digitised";

struct Ratio {
  int64_t numerator = 0;
  int64_t denominator = 0;
};

class ServiceFigures {
 public:
  static ServiceFigures Generate(Random& random);

  // The sum over the home areas `district` covers (see AreasCoveredBy) and
  // the months [first_month, last_month] (counted from January 2023).
  Ratio For(absl::string_view indicator, absl::string_view district, int first_month,
            int last_month) const;

 private:
  // (indicator, home area code, month) → figure.
  std::map<std::tuple<std::string, std::string, int>, Ratio> monthly_;
};

}  // namespace tiendo::sample
