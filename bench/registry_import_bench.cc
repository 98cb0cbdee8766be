// Bulk import through the registry's streaming API, committed to SQLite and relayed to Kafka
// (issue 4's target: at least 20,000 rows/s). Starts its own Kafka broker and a registry
// (release build, durability full, fresh database), applies the seed plan (for its
// administrative units), then streams 100,000 enterprises, 500 rows per message, and waits
// until the relay has published every event. Prints the rows per second committed, and
// committed and relayed, and the outbox lag when the import returned and at the end.
//
//   build/release/bench/registry_import_bench [--benchmark_counters_tabular=true]
#include <benchmark/benchmark.h>
#include <grpcpp/grpcpp.h>

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/bench_suite.h"
#include "bench/service_metric.h"
#include "services/common/planfile/plan_file_loader.h"
#include "tests/support/kafka_broker.h"
#include "tests/support/service_under_test.h"
#include "tests/support/source_file.h"
#include "tests/support/synthetic_enterprises.h"
#include "tiendo/registry/v1/registry.grpc.pb.h"

namespace tiendo {
namespace {

namespace v1 = registry::v1;

constexpr int kRows = 100000;
constexpr int kRowsPerMessage = 500;

void BM_RegistryImport(benchmark::State& state) {
  const std::string dir = testing::MakeTempDir("registry-import-bench");
  testing::RemovedAtEnd removed(dir);  // once the registry and the broker have stopped
  auto skip = [&](absl::string_view why) { bench::SkipKeepingFiles(state, removed, why); };
  auto broker = testing::KafkaBroker::Start(absl::StrCat(dir, "/kafka"));
  if (!broker.ok()) {
    skip(absl::StrCat("kafka: ", broker.status().ToString()));
    return;
  }
  auto registry = testing::StartService(
      TIENDO_REGISTRY_BINARY, "tiendo-registry", (*broker)->bootstrap(), "bench.", dir,
      {absl::StrCat("--database=", dir, "/registry.db"), "--durability=full",
       "--log-level=warning"});
  if (!registry.ok() ||
      !testing::WaitUntil([&] { return bench::Metric(*registry, "tiendo_serving") == 1; },
                          absl::Seconds(60))) {
    skip("the registry did not start");
    return;
  }
  auto stub = v1::Registry::NewStub(
      grpc::CreateChannel(registry->address(), grpc::InsecureChannelCredentials()));

  planfile::LoadedPlanFile plan =
      planfile::LoadPlanFile(testing::ReadSourceFile("plans/brvt-63-kh-ubnd.yaml"));
  v1::ApplyPlanRequest apply;
  *apply.mutable_plan_file() = *plan.plan_file;
  v1::ApplyPlanResponse applied;
  grpc::ClientContext apply_context;
  if (!stub->ApplyPlan(&apply_context, apply, &applied).ok()) {
    skip("the seed plan was not applied");
    return;
  }
  const double published_before =
      bench::Metric(*registry, "tiendo_registry_outbox_published_total");

  // Messages built before the clock starts: the benchmark measures the registry.
  std::vector<v1::ImportEnterprisesRequest> messages;
  const std::vector<v1::Enterprise> enterprises = testing::SyntheticEnterprises(kRows);
  for (int i = 0; i < kRows; ++i) {
    if (i % kRowsPerMessage == 0) messages.emplace_back();
    v1::EnterpriseImportRow* row = messages.back().add_rows();
    row->set_row_number(i + 2);
    *row->mutable_enterprise() = enterprises[i];
  }
  messages.front().mutable_options()->set_source_system("registry_import_bench");

  for (auto _ : state) {
    const absl::Time start = absl::Now();
    grpc::ClientContext context;
    context.AddMetadata("tiendo-actor", "bench:registry-import");
    v1::ImportEnterprisesResponse response;
    auto stream = stub->ImportEnterprises(&context, &response);
    for (const v1::ImportEnterprisesRequest& message : messages) stream->Write(message);
    stream->WritesDone();
    const grpc::Status status = stream->Finish();
    const absl::Duration committed = absl::Now() - start;
    const double lag_at_commit =
        bench::Metric(*registry, "tiendo_registry_outbox_pending_records");
    if (!status.ok() || response.summary().rows_created() != kRows) {
      skip(absl::StrCat("import failed: ", status.error_message(), " ",
                        response.summary().ShortDebugString()));
      return;
    }
    testing::WaitUntil(
        [&] {
          return bench::Metric(*registry, "tiendo_registry_outbox_published_total") >=
                 published_before + kRows;
        },
        absl::Minutes(5));
    const absl::Duration relayed = absl::Now() - start;
    const double lag_at_end =
        bench::Metric(*registry, "tiendo_registry_outbox_pending_records");
    state.SetIterationTime(absl::ToDoubleSeconds(relayed));
    state.counters["rows"] = kRows;
    state.counters["committed_rows_per_s"] = kRows / absl::ToDoubleSeconds(committed);
    state.counters["relayed_rows_per_s"] = kRows / absl::ToDoubleSeconds(relayed);
    state.counters["outbox_lag_at_commit"] = lag_at_commit;
    state.counters["outbox_lag_at_end"] = lag_at_end;
    std::printf(
        "registry import: %d rows committed in %.2f s (%.0f rows/s); committed and relayed to "
        "Kafka in %.2f s (%.0f rows/s); outbox lag %.0f records when the import returned, %.0f "
        "at the end (goal: >= 20000 rows/s)\n",
        kRows, absl::ToDoubleSeconds(committed), kRows / absl::ToDoubleSeconds(committed),
        absl::ToDoubleSeconds(relayed), kRows / absl::ToDoubleSeconds(relayed), lag_at_commit,
        lag_at_end);
  }
}
BENCHMARK(BM_RegistryImport)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);

}  // namespace
}  // namespace tiendo

BENCHMARK_MAIN();
