#include "tools/tiendoctl/progress_meter.h"

#include <string>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace tiendo::ctl {

namespace {
constexpr int kBarWidth = 30;
}  // namespace

ProgressMeter::ProgressMeter(std::ostream& out, bool enabled, int64_t total_rows)
    : out_(out), enabled_(enabled), total_(total_rows), started_(absl::Now()) {}

void ProgressMeter::Update(int64_t done) {
  if (!enabled_) return;
  const double fraction = total_ > 0 ? static_cast<double>(done) / static_cast<double>(total_) : 1;
  const int filled = static_cast<int>(fraction * kBarWidth);
  const double seconds = absl::ToDoubleSeconds(absl::Now() - started_);
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  out_ << absl::StrFormat("\r[%s%s] %d/%d rows %3.0f%%  %.0f rows/s",
                          std::string(static_cast<size_t>(filled), '#'),
                          std::string(static_cast<size_t>(kBarWidth - filled), ' '), done, total_,
                          fraction * 100, rate)
       << std::flush;
  drawn_ = true;
}

void ProgressMeter::Finish() {
  if (drawn_) out_ << "\n";
  drawn_ = false;
}

}  // namespace tiendo::ctl
