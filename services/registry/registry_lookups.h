// What a registry write's validation may look up beyond the entity itself, as committed:
// administrative units (one index shared by all requests, rebuilt when units change),
// indicators and reporting units (read from the store on demand; those found are kept for
// the request), and today's date in Vietnam (UTC+7) from the service's clock.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/node_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/common/core/administrative_units.h"
#include "services/registry/store/registry_store.h"
#include "tiendo/registry/v1/indicator.pb.h"
#include "tiendo/registry/v1/reporting_unit.pb.h"

namespace tiendo::registry {

// The committed administrative units as a core index, rebuilt only after a commit that wrote
// administrative units.
class AdministrativeUnitCache {
 public:
  explicit AdministrativeUnitCache(RegistryStore& store) : store_(store) {}

  absl::StatusOr<std::shared_ptr<const core::AdministrativeUnits>> Current();

 private:
  RegistryStore& store_;
  absl::Mutex mu_;
  int64_t generation_ ABSL_GUARDED_BY(mu_) = -1;
  std::shared_ptr<const core::AdministrativeUnits> units_ ABSL_GUARDED_BY(mu_);
};

// Lookups for one request. Not thread-safe; pointers it returns live as long as it does.
class RegistryLookups {
 public:
  RegistryLookups(RegistryStore& store, std::shared_ptr<const core::AdministrativeUnits> units,
                  absl::CivilDay today)
      : store_(store), units_(std::move(units)), today_(today) {}

  const core::AdministrativeUnits& administrative_units() const { return *units_; }
  absl::CivilDay today() const { return today_; }

  // The committed indicator or reporting unit with `id`, or nullptr: none, or the store
  // could not be read, which TakeFailure() then tells.
  const v1::Indicator* FindIndicator(absl::string_view id);
  const v1::ReportingUnit* FindReportingUnit(absl::string_view id);

  // The first store failure behind a nullptr since the last call (OK if none): a caller
  // answers it as the error it is, not as the unknown reference the rules made of it.
  absl::Status TakeFailure();

 private:
  RegistryStore& store_;
  std::shared_ptr<const core::AdministrativeUnits> units_;
  absl::CivilDay today_;
  absl::node_hash_map<std::string, std::unique_ptr<v1::Indicator>> indicators_;
  absl::node_hash_map<std::string, std::unique_ptr<v1::ReportingUnit>> reporting_units_;
  absl::Status failure_;
};

}  // namespace tiendo::registry
