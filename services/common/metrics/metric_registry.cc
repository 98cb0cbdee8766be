#include "services/common/metrics/metric_registry.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/common/status/check.h"

namespace tiendo::metrics {
namespace {

bool ValidName(const std::string& name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    const bool digit = c >= '0' && c <= '9';
    if (!letter && !(digit && i > 0)) return false;
  }
  return true;
}

// Escapes a label value: backslash, double quote and newline.
std::string EscapeLabelValue(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

// Escapes HELP text: backslash and newline.
std::string EscapeHelp(const std::string& help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string RenderLabels(const Labels& labels) {
  if (labels.empty()) return "";
  std::vector<std::string> parts;
  for (const auto& [name, value] : labels) {
    TIENDO_CHECK(ValidName(name), absl::StrCat("invalid metric label name ", name));
    parts.push_back(absl::StrCat(name, "=\"", EscapeLabelValue(value), "\""));
  }
  return absl::StrCat("{", absl::StrJoin(parts, ","), "}");
}

std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return absl::StrFormat("%.17g", value);
}

}  // namespace

MetricRegistry::Family& MetricRegistry::FamilyFor(const std::string& name,
                                                  const std::string& type,
                                                  const std::string& help) {
  TIENDO_CHECK(ValidName(name), absl::StrCat("invalid metric name ", name));
  Family& family = families_[name];
  if (family.type.empty()) {
    family.type = type;
    family.help = help;
  }
  TIENDO_CHECK(family.type == type, absl::StrCat("metric ", name, " registered with two types"));
  return family;
}

MetricRegistry::Series& MetricRegistry::SeriesFor(const std::string& name,
                                                  const std::string& type,
                                                  const std::string& help, const Labels& labels) {
  Family& family = FamilyFor(name, type, help);
  std::string rendered = RenderLabels(labels);
  for (Series& series : family.series) {
    if (series.labels == rendered) return series;
  }
  return family.series.emplace_back(Series{std::move(rendered), {}});
}

Counter& MetricRegistry::AddCounter(const std::string& name, const std::string& help,
                                    Labels labels) {
  absl::MutexLock lock(&mu_);
  Series& series = SeriesFor(name, "counter", help, labels);
  if (series.counter == nullptr) {
    Counter* counter = counters_.emplace_back(std::make_unique<Counter>()).get();
    series.counter = counter;
    series.read = [counter] { return counter->value(); };
  }
  return *series.counter;
}

Gauge& MetricRegistry::AddGauge(const std::string& name, const std::string& help,
                                Labels labels) {
  absl::MutexLock lock(&mu_);
  Series& series = SeriesFor(name, "gauge", help, labels);
  TIENDO_CHECK(series.gauge != nullptr || !series.read,
               absl::StrCat("metric ", name, RenderLabels(labels), " is a gauge callback"));
  if (series.gauge == nullptr) {
    Gauge* gauge = gauges_.emplace_back(std::make_unique<Gauge>()).get();
    series.gauge = gauge;
    series.read = [gauge] { return gauge->value(); };
  }
  return *series.gauge;
}

void MetricRegistry::AddGaugeCallback(const std::string& name, const std::string& help,
                                      std::function<double()> read, Labels labels) {
  absl::MutexLock lock(&mu_);
  Series& series = SeriesFor(name, "gauge", help, labels);
  TIENDO_CHECK(series.gauge == nullptr,
               absl::StrCat("metric ", name, RenderLabels(labels), " is a gauge, not a callback"));
  series.read = std::move(read);
}

std::string MetricRegistry::Render() const {
  absl::MutexLock lock(&mu_);
  std::string out;
  for (const auto& [name, family] : families_) {
    absl::StrAppend(&out, "# HELP ", name, " ", EscapeHelp(family.help), "\n# TYPE ", name, " ",
                    family.type, "\n");
    for (const Series& series : family.series) {
      absl::StrAppend(&out, name, series.labels, " ", FormatValue(series.read()), "\n");
    }
  }
  return out;
}

}  // namespace tiendo::metrics
