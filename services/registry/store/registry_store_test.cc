// RegistryStore on a real SQLite file in a temporary directory: the schema migrations at
// open (and the refusal of a database from a newer build), transactions that commit all or
// nothing, dry runs that leave nothing, and the outbox's order and deletion.
#include "services/registry/store/registry_store.h"

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/registry/store/schema_migrations.h"
#include "services/registry/store/sqlite_database.h"
#include "tests/support/temp_dir.h"

namespace tiendo::registry {
namespace {

using ::testing::ElementsAre;
using ::testing::Eq;
using ::testing::Optional;

class RegistryStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(directory_.empty()) << "no temporary directory"; }
  ~RegistryStoreTest() override {
    tiendo::testing::RemoveTree(directory_);
  }

  std::unique_ptr<RegistryStore> OpenStore() {
    StoreOptions options;
    options.path = database_path_;
    options.durability = Durability::kNormal;
    options.clock = [] { return absl::FromUnixSeconds(1761966000); };
    absl::StatusOr<std::unique_ptr<RegistryStore>> store = RegistryStore::Open(options);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }

  // A separate connection, as an operator's sqlite3 shell would see the file.
  std::unique_ptr<SqliteDatabase> Inspect() {
    absl::StatusOr<std::unique_ptr<SqliteDatabase>> database =
        SqliteDatabase::Open(database_path_, Durability::kNormal);
    EXPECT_TRUE(database.ok()) << database.status();
    return database.ok() ? *std::move(database) : nullptr;
  }

  int64_t Count(const std::string& table) {
    std::unique_ptr<SqliteDatabase> database = Inspect();
    if (database == nullptr) return -1;
    absl::StatusOr<std::optional<int64_t>> count =
        database->QueryInt64(absl::StrCat("SELECT count(*) FROM ", table));
    EXPECT_TRUE(count.ok()) << count.status();
    return count.ok() ? count->value_or(-1) : -1;
  }

  static int64_t OutboxSize(RegistryStore& store) {
    absl::StatusOr<int64_t> size = store.OutboxSize();
    EXPECT_TRUE(size.ok()) << size.status();
    return size.ok() ? *size : -1;
  }

  // Writes one entity version with its event, as EntityWriter would.
  static absl::Status PutEnterprise(RegistryWrite& write, const std::string& key,
                                    int64_t version, const std::string& body) {
    StoredEntity entity;
    entity.version = version;
    entity.body = body;
    return write.Put(v1::ENTITY_KIND_ENTERPRISE, key, entity,
                     version == 1 ? v1::CHANGE_TYPE_CREATED : v1::CHANGE_TYPE_UPDATED, "",
                     {OutboxRecord{0, absl::StrCat("enterprise/", key), body}});
  }

  const std::string directory_ = tiendo::testing::MakeTempDir("registry-store");
  const std::string database_path_ = directory_ + "/registry.db";
  const WriteContext context_{"ops:test", "Test"};
};

TEST_F(RegistryStoreTest, FreshFileGetsTheCurrentSchemaVersionAndItsTables) {
  ASSERT_GE(CurrentSchemaVersion(), 1);
  std::unique_ptr<RegistryStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  std::unique_ptr<SqliteDatabase> database = Inspect();
  ASSERT_NE(database, nullptr);
  EXPECT_THAT(*database->QueryInt64("PRAGMA user_version"), Optional(CurrentSchemaVersion()));
  for (const char* table : {"entities", "transactions", "entity_changes", "outbox"}) {
    EXPECT_THAT(*database->QueryInt64(absl::StrCat(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '",
                    table, "'")),
                Optional(1))
        << table;
  }
  EXPECT_EQ(OutboxSize(*store), 0);
}

TEST_F(RegistryStoreTest, ReopeningMigratesNothingAndKeepsTheData) {
  {
    std::unique_ptr<RegistryStore> store = OpenStore();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store
                    ->Write(context_, /*dry_run=*/false,
                            [](RegistryWrite& write) {
                              return PutEnterprise(write, "0100233488", 1, "first");
                            })
                    .ok());
  }
  std::unique_ptr<RegistryStore> reopened = OpenStore();
  ASSERT_NE(reopened, nullptr);
  absl::StatusOr<std::optional<StoredEntity>> stored =
      reopened->Get(v1::ENTITY_KIND_ENTERPRISE, "0100233488");
  ASSERT_TRUE(stored.ok()) << stored.status();
  ASSERT_TRUE(stored->has_value());
  EXPECT_EQ((*stored)->version, 1);
  EXPECT_EQ((*stored)->body, "first");
  EXPECT_EQ(OutboxSize(*reopened), 1);
  // Migrating an up-to-date database again is a no-op too.
  std::unique_ptr<SqliteDatabase> database = Inspect();
  ASSERT_NE(database, nullptr);
  EXPECT_TRUE(MigrateSchema(*database).ok());
  EXPECT_THAT(*database->QueryInt64("PRAGMA user_version"), Optional(CurrentSchemaVersion()));
  EXPECT_EQ(Count("entities"), 1);
}

TEST_F(RegistryStoreTest, ReopenedStoreContinuesTheOutboxSequence) {
  int64_t first_sequence = 0;
  {
    std::unique_ptr<RegistryStore> store = OpenStore();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store
                    ->Write(context_, false,
                            [](RegistryWrite& write) {
                              return PutEnterprise(write, "0100233488", 1, "a");
                            })
                    .ok());
    absl::StatusOr<std::vector<OutboxRecord>> records = store->ReadOutbox(0, 10);
    ASSERT_TRUE(records.ok());
    ASSERT_EQ(records->size(), 1u);
    first_sequence = (*records)[0].sequence;
  }
  std::unique_ptr<RegistryStore> reopened = OpenStore();
  ASSERT_NE(reopened, nullptr);
  // A relay that had relayed through the last record waits; a new commit wakes it.
  EXPECT_FALSE(reopened->AwaitOutboxAfter(first_sequence, absl::ZeroDuration()));
  EXPECT_TRUE(reopened->AwaitOutboxAfter(first_sequence - 1, absl::ZeroDuration()));
  ASSERT_TRUE(reopened
                  ->Write(context_, false,
                          [](RegistryWrite& write) {
                            return PutEnterprise(write, "0100233488", 2, "b");
                          })
                  .ok());
  EXPECT_TRUE(reopened->AwaitOutboxAfter(first_sequence, absl::ZeroDuration()));
  absl::StatusOr<std::vector<OutboxRecord>> after = reopened->ReadOutbox(first_sequence, 10);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 1u);
  EXPECT_GT((*after)[0].sequence, first_sequence);
}

TEST_F(RegistryStoreTest, DatabaseFromANewerBuildIsRefusedAndLeftAlone) {
  {
    std::unique_ptr<SqliteDatabase> database = Inspect();
    ASSERT_NE(database, nullptr);
    ASSERT_TRUE(database
                    ->Execute(absl::StrCat("CREATE TABLE future (x INTEGER); ",
                                           "PRAGMA user_version = ", CurrentSchemaVersion() + 1))
                    .ok());
  }
  StoreOptions options;
  options.path = database_path_;
  options.durability = Durability::kNormal;
  absl::StatusOr<std::unique_ptr<RegistryStore>> store = RegistryStore::Open(options);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition) << store.status();
  EXPECT_THAT(std::string(store.status().message()), ::testing::HasSubstr(database_path_));

  std::unique_ptr<SqliteDatabase> database = Inspect();
  ASSERT_NE(database, nullptr);
  EXPECT_THAT(*database->QueryInt64("PRAGMA user_version"),
              Optional(CurrentSchemaVersion() + 1));
  EXPECT_THAT(*database->QueryInt64(
                  "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'outbox'"),
              Optional(0));
}

TEST_F(RegistryStoreTest, FailedWriteLeavesNothingBehind) {
  std::unique_ptr<RegistryStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  const int64_t generation = store->Generation(v1::ENTITY_KIND_ENTERPRISE);
  const absl::Status written =
      store->Write(context_, /*dry_run=*/false, [](RegistryWrite& write) -> absl::Status {
        absl::Status put = PutEnterprise(write, "0100233488", 1, "doomed");
        if (!put.ok()) return put;
        return absl::InvalidArgumentError("second row is bad");
      });
  EXPECT_EQ(written.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(written.message(), "second row is bad");

  absl::StatusOr<std::optional<StoredEntity>> stored =
      store->Get(v1::ENTITY_KIND_ENTERPRISE, "0100233488");
  ASSERT_TRUE(stored.ok());
  EXPECT_FALSE(stored->has_value());
  EXPECT_EQ(OutboxSize(*store), 0);
  EXPECT_EQ(store->Generation(v1::ENTITY_KIND_ENTERPRISE), generation);
  EXPECT_FALSE(store->AwaitOutboxAfter(0, absl::ZeroDuration()));
  for (const char* table : {"entities", "transactions", "entity_changes", "outbox"}) {
    EXPECT_EQ(Count(table), 0) << table;
  }
  // The store is still usable after the rollback.
  EXPECT_TRUE(store
                  ->Write(context_, false,
                          [](RegistryWrite& write) {
                            return PutEnterprise(write, "0100233488", 1, "fine");
                          })
                  .ok());
  EXPECT_EQ(Count("entities"), 1);
}

TEST_F(RegistryStoreTest, DryRunSeesItsOwnWritesAndLeavesNothing) {
  std::unique_ptr<RegistryStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  std::optional<StoredEntity> seen_inside;
  const absl::Status written =
      store->Write(context_, /*dry_run=*/true, [&](RegistryWrite& write) -> absl::Status {
        absl::Status put = PutEnterprise(write, "0100233488", 1, "draft");
        if (!put.ok()) return put;
        absl::StatusOr<std::optional<StoredEntity>> got =
            write.Get(v1::ENTITY_KIND_ENTERPRISE, "0100233488");
        if (!got.ok()) return got.status();
        seen_inside = *got;
        return absl::OkStatus();
      });
  ASSERT_TRUE(written.ok()) << written;
  ASSERT_TRUE(seen_inside.has_value());
  EXPECT_EQ(seen_inside->body, "draft");

  absl::StatusOr<std::optional<StoredEntity>> stored =
      store->Get(v1::ENTITY_KIND_ENTERPRISE, "0100233488");
  ASSERT_TRUE(stored.ok());
  EXPECT_FALSE(stored->has_value());
  EXPECT_EQ(OutboxSize(*store), 0);
  for (const char* table : {"entities", "transactions", "entity_changes", "outbox"}) {
    EXPECT_EQ(Count(table), 0) << table;
  }
}

TEST_F(RegistryStoreTest, WriteThatChangesNothingRecordsNoTransaction) {
  std::unique_ptr<RegistryStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(
      store->Write(context_, false, [](RegistryWrite&) { return absl::OkStatus(); }).ok());
  EXPECT_EQ(Count("transactions"), 0);
}

TEST_F(RegistryStoreTest, CommitRecordsTheEntityItsHistoryAndWhoWroteIt) {
  std::unique_ptr<RegistryStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store
                  ->Write(context_, false,
                          [](RegistryWrite& write) {
                            return PutEnterprise(write, "0100233488", 1, "v1");
                          })
                  .ok());
  ASSERT_TRUE(store
                  ->Write(WriteContext{"ops:other", "Update"}, false,
                          [](RegistryWrite& write) {
                            return PutEnterprise(write, "0100233488", 2, "v2");
                          })
                  .ok());
  EXPECT_EQ(Count("entities"), 1);
  EXPECT_EQ(Count("entity_changes"), 2);
  EXPECT_EQ(Count("transactions"), 2);
  std::unique_ptr<SqliteDatabase> database = Inspect();
  ASSERT_NE(database, nullptr);
  EXPECT_THAT(*database->QueryInt64(
                  "SELECT t.committed_at_micros FROM entity_changes c JOIN transactions t ON "
                  "t.id = c.transaction_id WHERE c.version = 2 AND t.actor = 'ops:other' AND "
                  "t.operation = 'Update'"),
              Optional(int64_t{1761966000} * 1000000));
}

TEST_F(RegistryStoreTest, ScanVisitsLiveEntitiesOfOneKindInKeyOrder) {
  std::unique_ptr<RegistryStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store
                  ->Write(context_, false,
                          [](RegistryWrite& write) -> absl::Status {
                            for (const char* key : {"c", "a", "d", "b"}) {
                              absl::Status put = PutEnterprise(write, key, 1, key);
                              if (!put.ok()) return put;
                            }
                            StoredEntity deleted;
                            deleted.version = 2;
                            deleted.deleted = true;
                            absl::Status removed =
                                write.Put(v1::ENTITY_KIND_ENTERPRISE, "b", deleted,
                                          v1::CHANGE_TYPE_DELETED, "", {});
                            if (!removed.ok()) return removed;
                            StoredEntity plan;
                            plan.version = 1;
                            plan.body = "plan";
                            return write.Put(v1::ENTITY_KIND_PLAN, "aa", plan,
                                             v1::CHANGE_TYPE_CREATED, "", {});
                          })
                  .ok());
  std::vector<std::string> keys;
  ASSERT_TRUE(store
                  ->Scan(v1::ENTITY_KIND_ENTERPRISE, "",
                         [&](absl::string_view key, const StoredEntity&) {
                           keys.emplace_back(key);
                           return true;
                         })
                  .ok());
  EXPECT_THAT(keys, ElementsAre("a", "c", "d"));
  keys.clear();
  ASSERT_TRUE(store
                  ->Scan(v1::ENTITY_KIND_ENTERPRISE, "a",
                         [&](absl::string_view key, const StoredEntity&) {
                           keys.emplace_back(key);
                           return keys.size() < 1;
                         })
                  .ok());
  EXPECT_THAT(keys, ElementsAre("c"));
  // The deleted row keeps its version, so that a re-creation continues the sequence.
  absl::StatusOr<std::optional<StoredEntity>> deleted = store->Get(v1::ENTITY_KIND_ENTERPRISE, "b");
  ASSERT_TRUE(deleted.ok());
  ASSERT_TRUE(deleted->has_value());
  EXPECT_TRUE((*deleted)->deleted);
  EXPECT_EQ((*deleted)->version, 2);
}

TEST_F(RegistryStoreTest, OutboxIsReadInCommitOrderAndDeletedThroughASequence) {
  std::unique_ptr<RegistryStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  // Keys chosen so that commit order differs from key order.
  for (const char* key : {"3", "1", "2"}) {
    ASSERT_TRUE(store
                    ->Write(context_, false,
                            [&](RegistryWrite& write) {
                              return PutEnterprise(write, key, 1, absl::StrCat("body-", key));
                            })
                    .ok());
  }
  ASSERT_TRUE(store
                  ->Write(context_, false,
                          [](RegistryWrite& write) {
                            StoredEntity deleted;
                            deleted.version = 2;
                            deleted.deleted = true;
                            return write.Put(v1::ENTITY_KIND_ENTERPRISE, "1", deleted,
                                             v1::CHANGE_TYPE_DELETED, "",
                                             {OutboxRecord{0, "enterprise/1", "deleted"},
                                              OutboxRecord{0, "enterprise/1", std::nullopt}});
                          })
                  .ok());
  absl::StatusOr<std::vector<OutboxRecord>> all = store->ReadOutbox(0, 100);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 5u);
  std::vector<std::string> keys;
  for (size_t i = 0; i < all->size(); ++i) {
    keys.push_back((*all)[i].key);
    if (i > 0) {
      EXPECT_GT((*all)[i].sequence, (*all)[i - 1].sequence);
    }
  }
  EXPECT_THAT(keys, ElementsAre("enterprise/3", "enterprise/1", "enterprise/2", "enterprise/1",
                                "enterprise/1"));
  EXPECT_THAT((*all)[0].value, Optional(Eq(std::string("body-3"))));
  EXPECT_THAT((*all)[3].value, Optional(Eq(std::string("deleted"))));
  EXPECT_EQ((*all)[4].value, std::nullopt) << "a tombstone has no value";

  // Reading on from a sequence, with a limit.
  absl::StatusOr<std::vector<OutboxRecord>> next = store->ReadOutbox((*all)[0].sequence, 2);
  ASSERT_TRUE(next.ok());
  ASSERT_EQ(next->size(), 2u);
  EXPECT_EQ((*next)[0].sequence, (*all)[1].sequence);
  EXPECT_EQ((*next)[1].sequence, (*all)[2].sequence);

  ASSERT_TRUE(store->DeleteOutboxThrough((*all)[2].sequence).ok());
  EXPECT_EQ(OutboxSize(*store), 2);
  absl::StatusOr<std::vector<OutboxRecord>> rest = store->ReadOutbox(0, 100);
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->size(), 2u);
  EXPECT_EQ((*rest)[0].sequence, (*all)[3].sequence);
  EXPECT_EQ((*rest)[1].sequence, (*all)[4].sequence);

  // Sequences are never reused after a deletion, even of everything.
  ASSERT_TRUE(store->DeleteOutboxThrough((*all)[4].sequence).ok());
  EXPECT_EQ(OutboxSize(*store), 0);
  ASSERT_TRUE(store
                  ->Write(context_, false,
                          [](RegistryWrite& write) {
                            return PutEnterprise(write, "4", 1, "body-4");
                          })
                  .ok());
  absl::StatusOr<std::vector<OutboxRecord>> fresh = store->ReadOutbox(0, 100);
  ASSERT_TRUE(fresh.ok());
  ASSERT_EQ(fresh->size(), 1u);
  EXPECT_GT((*fresh)[0].sequence, (*all)[4].sequence);
}

TEST_F(RegistryStoreTest, GenerationCountsCommitsOfEachKind) {
  std::unique_ptr<RegistryStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  const int64_t enterprises = store->Generation(v1::ENTITY_KIND_ENTERPRISE);
  const int64_t units = store->Generation(v1::ENTITY_KIND_ADMINISTRATIVE_UNIT);
  ASSERT_TRUE(store
                  ->Write(context_, false,
                          [](RegistryWrite& write) {
                            return PutEnterprise(write, "0100233488", 1, "x");
                          })
                  .ok());
  EXPECT_EQ(store->Generation(v1::ENTITY_KIND_ENTERPRISE), enterprises + 1);
  EXPECT_EQ(store->Generation(v1::ENTITY_KIND_ADMINISTRATIVE_UNIT), units);
  ASSERT_TRUE(store
                  ->Write(context_, /*dry_run=*/true,
                          [](RegistryWrite& write) {
                            return PutEnterprise(write, "0100233488", 2, "y");
                          })
                  .ok());
  EXPECT_EQ(store->Generation(v1::ENTITY_KIND_ENTERPRISE), enterprises + 1);
}

}  // namespace
}  // namespace tiendo::registry
