// ProgressMeter: a one-line progress bar for a long upload (rows sent of the file's rows,
// rows per second), redrawn in place with a carriage return. Drawn only on a terminal: when
// the output is a file or a pipe the meter prints nothing, so logs stay clean.
#pragma once

#include <cstdint>
#include <ostream>

#include "absl/time/time.h"

namespace tiendo::ctl {

class ProgressMeter {
 public:
  // `enabled` false makes every call a no-op (stderr is not a terminal).
  ProgressMeter(std::ostream& out, bool enabled, int64_t total_rows);

  // `done` rows of the total have been sent.
  void Update(int64_t done);

  // Ends the line of the bar (the next output starts on a fresh line).
  void Finish();

 private:
  std::ostream& out_;
  bool enabled_;
  int64_t total_;
  absl::Time started_;
  bool drawn_ = false;
};

}  // namespace tiendo::ctl
