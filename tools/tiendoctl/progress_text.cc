#include "tools/tiendoctl/progress_text.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "tools/tiendoctl/enum_words.h"

namespace tiendo::ctl {
namespace {

// "312", "62.5", "0.52": two decimals without the zeros that end them.
std::string Number(double value) {
  std::string text = absl::StrFormat("%.2f", value);
  text.erase(text.find_last_not_of('0') + 1);
  if (text.back() == '.') text.pop_back();
  return text == "-0" ? "0" : text;
}

}  // namespace

std::string ValueText(double value, registry::v1::IndicatorUnit unit) {
  return absl::StrCat(Number(value), unit == registry::v1::INDICATOR_UNIT_PERCENT ? "%" : "");
}

std::string CurrentValueText(const evaluator::v1::Progress& progress) {
  return progress.has_current_value() ? ValueText(progress.current_value(), progress.unit())
                                      : "-";
}

std::string StatusWord(evaluator::v1::ProgressStatus status) {
  return EnumWord(*evaluator::v1::ProgressStatus_descriptor(), status);
}

std::string VietnamMinute(const google::protobuf::Timestamp& time) {
  if (time.seconds() == 0 && time.nanos() == 0) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M", absl::FromUnixSeconds(time.seconds()),
                          absl::FixedTimeZone(7 * 60 * 60));
}

}  // namespace tiendo::ctl
