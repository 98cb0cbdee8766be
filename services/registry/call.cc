#include "services/registry/registry_calls.h"

#include "services/common/core/civil_date.h"
#include "services/common/status/status_macros.h"
#include "services/registry/caller_identity.h"

namespace tiendo::registry {

absl::StatusOr<std::unique_ptr<Call>> Call::Begin(RegistryState& state,
                                                  const grpc::CallbackServerContext& context,
                                                  absl::string_view operation) {
  ASSIGN_OR_RETURN(std::string actor, CallerIdentity(context));
  ASSIGN_OR_RETURN(std::shared_ptr<const core::AdministrativeUnits> units,
                   state.administrative_units.Current());
  return std::unique_ptr<Call>(new Call(state, std::move(units), core::VietnamDay(state.clock()),
                                        WriteContext{std::move(actor), std::string(operation)}));
}

}  // namespace tiendo::registry
