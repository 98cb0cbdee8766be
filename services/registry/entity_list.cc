#include "services/registry/entity_list.h"

#include <memory>

#include "absl/strings/escaping.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/core/fingerprint.h"
#include "services/common/status/check.h"

namespace tiendo::registry {
namespace {

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 1000;

const google::protobuf::FieldDescriptor* Field(const google::protobuf::Message& request,
                                               const char* name) {
  const google::protobuf::FieldDescriptor* field =
      request.GetDescriptor()->FindFieldByName(name);
  TIENDO_CHECK(field != nullptr, "list request without page_size or page_token");
  return field;
}

// A stable hash of the request's filters: the request without its paging fields,
// serialised deterministically.
std::string FilterFingerprint(const google::protobuf::Message& request) {
  std::unique_ptr<google::protobuf::Message> filters(request.New());
  filters->CopyFrom(request);
  const google::protobuf::Reflection* reflection = filters->GetReflection();
  reflection->ClearField(filters.get(), Field(request, "page_size"));
  reflection->ClearField(filters.get(), Field(request, "page_token"));
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    filters->SerializeToCodedStream(&coded);
  }
  return absl::StrCat(absl::Hex(core::Fingerprint(bytes), absl::kZeroPad16));
}

}  // namespace

absl::StatusOr<PageRequest> ReadPageRequest(const google::protobuf::Message& request) {
  const google::protobuf::Reflection* reflection = request.GetReflection();
  PageRequest page;
  const int size = reflection->GetInt32(request, Field(request, "page_size"));
  if (size < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size ", size, " is negative; use 0 for the default of ",
                     kDefaultPageSize));
  }
  page.page_size = size == 0 ? kDefaultPageSize : std::min(size, kMaxPageSize);
  const std::string token = reflection->GetString(request, Field(request, "page_token"));
  if (token.empty()) return page;
  std::string decoded;
  std::vector<std::string> parts;
  if (absl::WebSafeBase64Unescape(token, &decoded)) {
    parts = absl::StrSplit(decoded, absl::MaxSplits('\n', 1));
  }
  if (parts.size() != 2 || parts[0] != FilterFingerprint(request)) {
    return absl::InvalidArgumentError(
        "page_token is not a next_page_token of this list with these filters; start again "
        "without page_token");
  }
  page.after_key = parts[1];
  return page;
}

std::string NextPageToken(const google::protobuf::Message& request, absl::string_view last_key) {
  return absl::WebSafeBase64Escape(absl::StrCat(FilterFingerprint(request), "\n", last_key));
}

}  // namespace tiendo::registry
