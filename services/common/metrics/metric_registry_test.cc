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

TEST(MetricRegistryTest, ASeriesRegisteredAgainIsTheSameSeries) {
  // As a component started again after a start that failed half way registers its series.
  MetricRegistry registry;
  Counter& first = registry.AddCounter("tiendo_reads_total", "Reads.", {{"topic", "a"}});
  first.Increment(2);
  Counter& again = registry.AddCounter("tiendo_reads_total", "Reads.", {{"topic", "a"}});
  again.Increment();
  registry.AddCounter("tiendo_reads_total", "Reads.", {{"topic", "b"}}).Increment();
  Gauge& gauge = registry.AddGauge("tiendo_up", "Up.");
  gauge.Set(1);
  EXPECT_EQ(&registry.AddGauge("tiendo_up", "Up."), &gauge);
  registry.AddGaugeCallback("tiendo_size", "Size.", [] { return 1.0; });
  registry.AddGaugeCallback("tiendo_size", "Size.", [] { return 2.0; });  // the reader now

  EXPECT_EQ(&again, &first);
  EXPECT_EQ(registry.Render(),
            "# HELP tiendo_reads_total Reads.\n"
            "# TYPE tiendo_reads_total counter\n"
            "tiendo_reads_total{topic=\"a\"} 3\n"
            "tiendo_reads_total{topic=\"b\"} 1\n"
            "# HELP tiendo_size Size.\n"
            "# TYPE tiendo_size gauge\n"
            "tiendo_size 2\n"
            "# HELP tiendo_up Up.\n"
            "# TYPE tiendo_up gauge\n"
            "tiendo_up 1\n");
}

TEST(MetricRegistryDeathTest, ASeriesIsAGaugeOrAGaugeCallbackNeverBoth) {
  EXPECT_DEATH(
      {
        MetricRegistry registry;
        registry.AddGauge("tiendo_up", "Up.");
        registry.AddGaugeCallback("tiendo_up", "Up.", [] { return 1.0; });
      },
      "tiendo_up is a gauge, not a callback");
  EXPECT_DEATH(
      {
        MetricRegistry registry;
        registry.AddGaugeCallback("tiendo_up", "Up.", [] { return 1.0; });
        registry.AddGauge("tiendo_up", "Up.");
      },
      "tiendo_up is a gauge callback");
}

TEST(MetricRegistryTest, EscapesLabelValues) {
  MetricRegistry registry;
  registry.AddGauge("g", "G.", {{"path", "a\"b\\c\nd"}}).Set(0);
  EXPECT_NE(registry.Render().find("g{path=\"a\\\"b\\\\c\\nd\"} 0\n"), std::string::npos);
}

}  // namespace
}  // namespace tiendo::metrics
