// Where tiendoctl finds the three services: flags with environment fallbacks
// and the ports deploy/local/up.sh uses as defaults.
#pragma once

#include <string>
#include <vector>

#include "services/common/config/flag_set.h"

namespace tiendo::ctl {

struct ServiceAddresses {
  std::string registry = "localhost:7101";
  std::string ingest = "localhost:7102";
  std::string evaluator = "localhost:7103";
};

// Registers --registry, --ingest and --evaluator (TIENDO_REGISTRY_ADDRESS,
// TIENDO_INGEST_ADDRESS, TIENDO_EVALUATOR_ADDRESS).
void RegisterAddressFlags(config::FlagSet& flags, ServiceAddresses* addresses);

// Registers only --ingest (TIENDO_INGEST_ADDRESS), for the commands that talk to it alone.
void RegisterIngestAddressFlag(config::FlagSet& flags, std::string* address);

// Registers only --evaluator (TIENDO_EVALUATOR_ADDRESS), for the commands that talk to it alone.
void RegisterEvaluatorAddressFlag(config::FlagSet& flags, std::string* address);

struct NamedAddress {
  std::string service;  // program name, e.g. "tiendo-registry"
  std::string address;
};

// The three, in pipeline order.
std::vector<NamedAddress> AllServices(const ServiceAddresses& addresses);

}  // namespace tiendo::ctl
