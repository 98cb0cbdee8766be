// The whole sample data set for a seed: the three CSV files and the README,
// generated in memory (deterministically: the same seed gives the same bytes
// on every machine) and written to a directory.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace tiendo::sample {

inline constexpr uint64_t kDefaultSeed = 63;

struct SampleFile {
  std::string name;  // e.g. "enterprises.csv"
  std::string contents;
};

// enterprises.csv, public_services.csv, submissions.csv and README.md.
std::vector<SampleFile> GenerateSampleFiles(uint64_t seed);

// The first line of every CSV file, without the leading "# ".
std::string SyntheticComment(uint64_t seed);

// Writes each file into `dir` (created if missing), replacing files of the
// same name. An error names the path.
absl::Status WriteSampleFiles(const std::vector<SampleFile>& files, const std::string& dir);

}  // namespace tiendo::sample
