#include "tools/sample-data/cli.h"

#include <cstdint>
#include <limits>

#include "absl/strings/str_cat.h"
#include "tools/sample-data/generator_version.h"
#include "tools/sample-data/sample_data.h"

namespace tiendo::sample {

int RunSampleDataTool(const std::vector<std::string>& args, const config::EnvLookup& env,
                      std::ostream& out, std::ostream& err) {
  const std::string program(kGeneratorName);
  config::FlagSet flags(
      program,
      "Writes tiendo's SYNTHETIC sample data — enterprises.csv, public_services.csv, "
      "submissions.csv and README.md — into a directory. The same seed always gives "
      "byte-identical files. None of the figures are official data.");
  int64_t seed = static_cast<int64_t>(kDefaultSeed);
  std::string out_dir;
  flags.AddInt("seed", "", "Seed of the pseudo-random generator.", 0,
               std::numeric_limits<int64_t>::max(), &seed);
  flags.AddString("out", "", "Directory to write the files into (created if missing). Required.",
                  &out_dir);
  if (absl::Status parsed = flags.Parse(args, env); !parsed.ok()) {
    err << program << ": " << parsed.message() << "\n";
    return 2;
  }
  if (flags.help_requested()) {
    out << flags.Usage();
    return 0;
  }
  if (out_dir.empty()) {
    err << program << ": --out: required (the directory to write the files into)\n";
    return 2;
  }
  const std::vector<SampleFile> files = GenerateSampleFiles(static_cast<uint64_t>(seed));
  if (absl::Status written = WriteSampleFiles(files, out_dir); !written.ok()) {
    err << program << ": " << written.message() << "\n";
    return 1;
  }
  for (const SampleFile& file : files) {
    out << "wrote " << out_dir << "/" << file.name << " (" << file.contents.size()
        << " bytes)\n";
  }
  return 0;
}

}  // namespace tiendo::sample
