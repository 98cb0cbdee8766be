#include "tools/tiendoctl/service_addresses.h"

namespace tiendo::ctl {

void RegisterAddressFlags(config::FlagSet& flags, ServiceAddresses* addresses) {
  flags.AddString("registry", "TIENDO_REGISTRY_ADDRESS", "gRPC address of tiendo-registry.",
                  &addresses->registry);
  RegisterIngestAddressFlag(flags, &addresses->ingest);
  RegisterEvaluatorAddressFlag(flags, &addresses->evaluator);
}

void RegisterIngestAddressFlag(config::FlagSet& flags, std::string* address) {
  flags.AddString("ingest", "TIENDO_INGEST_ADDRESS", "gRPC address of tiendo-metrics-ingest.",
                  address);
}

void RegisterEvaluatorAddressFlag(config::FlagSet& flags, std::string* address) {
  flags.AddString("evaluator", "TIENDO_EVALUATOR_ADDRESS",
                  "gRPC address of tiendo-target-evaluator.", address);
}

std::vector<NamedAddress> AllServices(const ServiceAddresses& addresses) {
  return {{"tiendo-registry", addresses.registry},
          {"tiendo-metrics-ingest", addresses.ingest},
          {"tiendo-target-evaluator", addresses.evaluator}};
}

}  // namespace tiendo::ctl
