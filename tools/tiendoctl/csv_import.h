// CSV import of registry entities, the part `enterprises import` and `services import`
// share: read the file (tiendo_rows, one alias table per entity), keep the rows that do not
// parse here with their line and reason (they are not sent and count as rejected), stream the
// others to the registry in batches with the options in the first message and the CSV line
// as row number, then print the summary and every rejected row's violations.
//
// Each entity's command supplies a CsvImportKind: its names, its column aliases, how a row's
// key reads, and the typed stream (RunCsvImport is a template over the request and response
// messages, which differ only in their row type).
#pragma once

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "services/common/grpc/grpc_status.h"
#include "services/common/rows/proto_row.h"
#include "tiendo/registry/v1/import.pb.h"
#include "tiendo/registry/v1/registry.grpc.pb.h"
#include "tools/tiendoctl/command.h"
#include "tools/tiendoctl/progress_meter.h"
#include "tools/tiendoctl/registry_connection.h"

namespace tiendo::ctl {

// A row that parsed here, ready to send.
struct ParsedRow {
  int line = 0;
  std::unique_ptr<google::protobuf::Message> entity;
};

struct ParsedImportFile {
  int records = 0;
  std::vector<ParsedRow> rows;
  // Rows that did not parse, as REJECTED results (row_number = line).
  std::vector<registry::v1::ImportRowResult> local_rejections;
};

// What differs between the entities a CSV import handles.
struct CsvImportKind {
  std::string command;  // "enterprises import"
  std::string plural;   // "enterprises"
  const google::protobuf::Message* prototype;  // Enterprise::default_instance()
  const rows::ColumnAliases* aliases;
  // The row's key from its cells by column name (for rows that did not parse).
  std::function<std::string(const std::function<std::string(absl::string_view)>& cell)> key;
};

// Reads `text` into rows. A text the reader cannot split, or a header that names no field,
// is an error for the whole file (nothing can be sent): INVALID_ARGUMENT naming the line.
absl::StatusOr<ParsedImportFile> ParseImportFile(absl::string_view text,
                                                 const CsvImportKind& kind);

// Settings of one import run, from the command line.
struct CsvImportSettings {
  std::string path;
  RegistryConnection connection;
  registry::v1::ImportOptions options;
  int64_t batch_rows = 500;
};

// Registers the import flags and parses `args`; returns an exit code to stop with, or -1.
int ParseImportFlags(const CsvImportKind& kind, const std::vector<std::string>& args, Io& io,
                     CsvImportSettings* settings);

// What the registry answered, with the rows this side rejected merged in by line.
struct ImportReport {
  absl::Status status;  // of the call; OK when no call was needed
  int64_t rows_sent = 0;
  registry::v1::ImportSummary summary;
  std::vector<registry::v1::ImportRowResult> results;
};

// Prints the report; returns the exit code (1 if a row was rejected or the call failed).
int PrintImportReport(const CsvImportKind& kind, const CsvImportSettings& settings,
                      const ParsedImportFile& file, ImportReport report, Io& io);

// Reads and parses the file named by the settings into `*file` and returns -1; when the file
// cannot be used, prints why and returns the exit code.
int ReadImportFile(const CsvImportKind& kind, const CsvImportSettings& settings, Io& io,
                   ParsedImportFile* file);

// A message of an import stream holds --batch-rows rows, or fewer if more would take it past
// this many bytes: the registry takes messages of up to 4 MiB (gRPC's default).
inline constexpr size_t kMaxImportMessageBytes = 3 * 1024 * 1024;

// The whole command, for an entity whose stream carries `Request`s answered by a `Response`.
// `add_row` appends one parsed row (its line and entity) to a request.
template <typename Request, typename Response>
int RunCsvImport(
    const CsvImportKind& kind,
    std::function<std::unique_ptr<grpc::ClientWriter<Request>>(
        registry::v1::Registry::Stub&, grpc::ClientContext*, Response*)>
        open,
    std::function<void(Request&, const ParsedRow&)> add_row,
    const std::vector<std::string>& args, Io& io) {
  CsvImportSettings settings;
  if (int code = ParseImportFlags(kind, args, io, &settings); code >= 0) return code;
  ParsedImportFile file;
  if (int code = ReadImportFile(kind, settings, io, &file); code >= 0) return code;

  ImportReport report;
  if (!file.rows.empty()) {
    auto stub = NewRegistryStub(settings.connection);
    grpc::ClientContext context;
    PrepareCall(settings.connection, context);
    Response response;
    std::unique_ptr<grpc::ClientWriter<Request>> writer = open(*stub, &context, &response);
    ProgressMeter meter(io.err, io.err_is_terminal, static_cast<int64_t>(file.rows.size()));
    Request request;
    *request.mutable_options() = settings.options;
    bool open_stream = true;
    size_t bytes = 0;  // of the rows in `request`, with room for their framing
    auto send = [&] {
      // A failed write means the stream is broken; Finish says why.
      open_stream = writer->Write(request);
      if (open_stream) report.rows_sent += request.rows_size();
      meter.Update(report.rows_sent);
      request.Clear();
      bytes = 0;
    };
    for (size_t i = 0; i < file.rows.size() && open_stream; ++i) {
      add_row(request, file.rows[i]);
      const size_t row_bytes = request.rows(request.rows_size() - 1).ByteSizeLong() + 8;
      if (request.rows_size() > 1 && bytes + row_bytes > kMaxImportMessageBytes) {
        // The rows before it go now; this one starts the next message.
        auto* last = request.mutable_rows()->ReleaseLast();
        std::unique_ptr<std::remove_pointer_t<decltype(last)>> row(last);
        send();
        if (!open_stream) break;
        request.mutable_rows()->AddAllocated(row.release());
      }
      bytes += row_bytes;
      if (static_cast<int64_t>(request.rows_size()) < settings.batch_rows &&
          i + 1 < file.rows.size()) {
        continue;
      }
      send();
    }
    if (open_stream) writer->WritesDone();
    report.status = server::FromGrpcStatus(writer->Finish());
    meter.Finish();
    report.summary = response.summary();
    report.results.assign(response.results().begin(), response.results().end());
  }
  return PrintImportReport(kind, settings, file, std::move(report), io);
}

}  // namespace tiendo::ctl
