// MetricRegistry: counters and gauges rendered in the Prometheus text
// exposition format (version 0.0.4) for the admin server's /metrics.
//
// Metrics are created once, at start-up, and then updated lock-free from any
// thread; the registry owns them and hands out stable references.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace tiendo::metrics {

// Label names and values of one series, e.g. {{"topic", "tiendo.registry.v1"}}.
using Labels = std::vector<std::pair<std::string, std::string>>;

// A value that only goes up (resets only when the process restarts).
class Counter {
 public:
  void Increment(double by = 1.0) { value_.fetch_add(by, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

// A value that goes up and down.
class Gauge {
 public:
  void Set(double value) { value_.store(value, std::memory_order_relaxed); }
  void Add(double by) { value_.fetch_add(by, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class MetricRegistry {
 public:
  // Names must match [a-zA-Z_:][a-zA-Z0-9_:]*; a name is registered with one
  // type and help text, and may have several series with different labels.
  // Registering a series again (the same name and labels) gives the counter or
  // gauge registered first, value and all, and a gauge callback replaces the
  // series' reader: a component started again after a start that failed half
  // way does not repeat its series. A series is a gauge or a gauge callback,
  // never both (checked).
  Counter& AddCounter(const std::string& name, const std::string& help, Labels labels = {});
  Gauge& AddGauge(const std::string& name, const std::string& help, Labels labels = {});
  // A gauge whose value is read at scrape time (must be thread-safe).
  void AddGaugeCallback(const std::string& name, const std::string& help,
                        std::function<double()> read, Labels labels = {});

  // The exposition text of every metric, families in name order.
  std::string Render() const;

 private:
  struct Series {
    std::string labels;  // rendered, e.g. {topic="x"} or empty
    std::function<double()> read;
    Counter* counter = nullptr;  // what `read` reads, if the registry holds it
    Gauge* gauge = nullptr;
  };
  struct Family {
    std::string type;
    std::string help;
    std::vector<Series> series;
  };
  Family& FamilyFor(const std::string& name, const std::string& type, const std::string& help)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The series of `name` with `labels`, new (with no reader) if there was none.
  Series& SeriesFor(const std::string& name, const std::string& type, const std::string& help,
                    const Labels& labels) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  std::map<std::string, Family> families_ ABSL_GUARDED_BY(mu_);
  std::vector<std::unique_ptr<Counter>> counters_ ABSL_GUARDED_BY(mu_);
  std::vector<std::unique_ptr<Gauge>> gauges_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tiendo::metrics
