#include "services/common/metrics/metric_registry.h"

#include "gtest/gtest.h"

namespace tiendo::metrics {
namespace {

TEST(MetricRegistryTest, RendersPrometheusTextWithOneHeaderPerFamily) {
  MetricRegistry registry;
  Counter& created = registry.AddCounter("tiendo_topics_total", "Topics.", {{"outcome", "created"}});
  Counter& existed = registry.AddCounter("tiendo_topics_total", "Topics.", {{"outcome", "existed"}});
  Gauge& serving = registry.AddGauge("tiendo_serving", "Serving.");
  registry.AddGaugeCallback("tiendo_queue", "Queue \\ depth\nnow.", [] { return 2.5; });
  created.Increment(3);
  existed.Increment();
  serving.Set(1);

  EXPECT_EQ(registry.Render(),
            "# HELP tiendo_queue Queue \\\\ depth\\nnow.\n"
            "# TYPE tiendo_queue gauge\n"
            "tiendo_queue 2.5\n"
            "# HELP tiendo_serving Serving.\n"
            "# TYPE tiendo_serving gauge\n"
            "tiendo_serving 1\n"
            "# HELP tiendo_topics_total Topics.\n"
            "# TYPE tiendo_topics_total counter\n"
            "tiendo_topics_total{outcome=\"created\"} 3\n"
            "tiendo_topics_total{outcome=\"existed\"} 1\n");
}

TEST(MetricRegistryTest, EscapesLabelValues) {
  MetricRegistry registry;
  registry.AddGauge("g", "G.", {{"path", "a\"b\\c\nd"}}).Set(0);
  EXPECT_NE(registry.Render().find("g{path=\"a\\\"b\\\\c\\nd\"} 0\n"), std::string::npos);
}

}  // namespace
}  // namespace tiendo::metrics
