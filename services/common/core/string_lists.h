// Canonical forms of repeated string fields in registry entities: sets (categories,
// capabilities, allowed indicators) are sorted without repeats, so that two writes meaning
// the same thing store the same bytes; ordered lists (a sender's providers, main one first)
// only lose their repeats.
#pragma once

#include <string>

#include "google/protobuf/repeated_ptr_field.h"

namespace tiendo::core {

// Sorts `values` (bytewise) and removes repeats.
void SortWithoutRepeats(google::protobuf::RepeatedPtrField<std::string>& values);

// Removes every value that already occurred earlier in `values`; the rest keep their order.
void RemoveRepeatsKeepingOrder(google::protobuf::RepeatedPtrField<std::string>& values);

}  // namespace tiendo::core
