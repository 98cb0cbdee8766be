// Following a registry List call through its pages: the same request again with each
// next_page_token until the last page (an empty token) or until enough items were read.
// Each page is its own call with its own deadline.
#pragma once

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "services/common/grpc/grpc_status.h"

namespace tiendo::ctl {

// Largest page the registry serves.
inline constexpr int64_t kMaxPageSize = 1000;

// Appends to `*items` the items of every page of `request` (its page_size set from `limit`),
// at most `limit` of them (0: all). `prepare` readies each call's context; `call` makes it;
// `page_items` picks the repeated field of a response.
template <typename Request, typename Response, typename Item>
absl::Status FetchAllPages(
    Request request, int64_t limit, const std::function<void(grpc::ClientContext&)>& prepare,
    const std::function<grpc::Status(grpc::ClientContext*, const Request&, Response*)>& call,
    const std::function<const google::protobuf::RepeatedPtrField<Item>&(const Response&)>&
        page_items,
    std::vector<Item>* items) {
  request.set_page_size(static_cast<int32_t>(limit > 0 ? std::min(limit, kMaxPageSize)
                                                       : kMaxPageSize));
  while (true) {
    grpc::ClientContext context;
    prepare(context);
    Response response;
    if (absl::Status status = server::FromGrpcStatus(call(&context, request, &response));
        !status.ok()) {
      return status;
    }
    for (const Item& item : page_items(response)) {
      if (limit > 0 && static_cast<int64_t>(items->size()) >= limit) return absl::OkStatus();
      items->push_back(item);
    }
    if (response.next_page_token().empty()) return absl::OkStatus();
    if (limit > 0 && static_cast<int64_t>(items->size()) >= limit) return absl::OkStatus();
    request.set_page_token(response.next_page_token());
  }
}

}  // namespace tiendo::ctl
