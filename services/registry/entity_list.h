// Listing entities a page at a time: page sizes (0 = 100, at most 1000), opaque page tokens
// that continue after the last key of the previous page and are bound to the request's
// filters, and the scan that fills a page with the entities a filter keeps.
//
// Any List*Request with `page_size` and `page_token` fields works; every other field of the
// request counts as a filter, so a token reused with different filters is INVALID_ARGUMENT
// rather than a silently wrong page.
#pragma once

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "services/common/status/status_macros.h"
#include "services/registry/store/registry_store.h"

namespace tiendo::registry {

struct PageRequest {
  int page_size = 100;
  std::string after_key;  // continue after this key; "" for the first page
};

// Reads page_size and page_token of `request`.
absl::StatusOr<PageRequest> ReadPageRequest(const google::protobuf::Message& request);

// The token that continues `request` after `last_key`.
std::string NextPageToken(const google::protobuf::Message& request, absl::string_view last_key);

// Fills `page` with the entities of `kind` that `keep` accepts, in key order, from the page
// `request` names; returns the next page token ("" on the last page).
template <typename Entity>
absl::StatusOr<std::string> ListEntities(RegistryStore& store, v1::EntityKind kind,
                                         const google::protobuf::Message& request,
                                         const std::function<bool(const Entity&)>& keep,
                                         google::protobuf::RepeatedPtrField<Entity>* page) {
  ASSIGN_OR_RETURN(PageRequest from, ReadPageRequest(request));
  std::string last_key;
  bool more = false;
  absl::Status parsed = absl::OkStatus();
  RETURN_IF_ERROR(store.Scan(kind, from.after_key,
                             [&](absl::string_view key, const StoredEntity& stored) {
                               Entity entity;
                               if (!entity.ParseFromString(stored.body)) {
                                 parsed = absl::DataLossError(absl::StrCat(
                                     "stored entity ", key, " does not parse"));
                                 return false;
                               }
                               if (!keep(entity)) return true;
                               if (page->size() == from.page_size) {
                                 more = true;
                                 return false;
                               }
                               *page->Add() = std::move(entity);
                               last_key = std::string(key);
                               return true;
                             }));
  RETURN_IF_ERROR(parsed);
  return more ? NextPageToken(request, last_key) : std::string();
}

}  // namespace tiendo::registry
