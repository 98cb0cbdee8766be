#include "services/registry/caller_identity.h"

#include "absl/strings/str_cat.h"
#include "services/common/core/utf8_text.h"

namespace tiendo::registry {
namespace {

constexpr size_t kMaxActorBytes = 200;

}  // namespace

absl::StatusOr<std::string> CallerIdentity(const grpc::CallbackServerContext& context) {
  const auto& metadata = context.client_metadata();
  // Plain metadata carries printable ASCII only; a name with other characters comes in the
  // binary form (which gRPC sends base64-encoded and hands over decoded).
  auto found = metadata.find("tiendo-actor-bin");
  if (found == metadata.end()) found = metadata.find("tiendo-actor");
  if (found == metadata.end()) return absl::StrCat("anonymous (", context.peer(), ")");
  const absl::string_view actor(found->second.data(), found->second.size());
  if (actor.empty() || actor.size() > kMaxActorBytes || !core::IsValidUtf8(actor)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "metadata tiendo-actor must be 1 to ", kMaxActorBytes,
        " bytes of UTF-8 naming who makes the change, e.g. ops:nguyen.van.a"));
  }
  for (const char c : actor) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return absl::InvalidArgumentError("metadata tiendo-actor contains a control character");
    }
  }
  return std::string(actor);
}

}  // namespace tiendo::registry
