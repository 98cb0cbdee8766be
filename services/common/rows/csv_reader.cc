// RFC 4180 splitting of CSV text into comment lines, a header and records; see csv_reader.h.
#include "services/common/rows/csv_reader.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace tiendo::rows {
namespace {

constexpr absl::string_view kByteOrderMark = "\xEF\xBB\xBF";

// Walks the text one record at a time, counting lines.
class Scanner {
 public:
  explicit Scanner(absl::string_view text) : text_(text) {}

  bool done() const { return pos_ >= text_.size(); }
  int line() const { return line_; }
  char peek() const { return text_[pos_]; }

  // At a line end (LF or CRLF) or the end of the text.
  bool AtLineEnd() const {
    return done() || text_[pos_] == '\n' ||
           (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n');
  }

  // Consumes a line end if there is one.
  void SkipLineEnd() {
    if (done()) return;
    if (text_[pos_] == '\r') ++pos_;
    if (!done() && text_[pos_] == '\n') {
      ++pos_;
      ++line_;
    }
  }

  // The rest of the current line (without its line end), consumed with the line end.
  absl::string_view TakeLine() {
    const size_t start = pos_;
    while (!AtLineEnd()) ++pos_;
    absl::string_view rest = text_.substr(start, pos_ - start);
    SkipLineEnd();
    return rest;
  }

  // One record: cells separated by commas up to a line end outside quotes.
  absl::StatusOr<std::vector<std::string>> TakeRecord() {
    const int first_line = line_;
    std::vector<std::string> cells;
    for (;;) {
      std::string cell;
      if (!done() && text_[pos_] == '"') {
        absl::Status status = TakeQuoted(first_line, cell);
        if (!status.ok()) return status;
      } else {
        while (!done() && text_[pos_] != ',' && !AtLineEnd()) {
          if (text_[pos_] == '"') {
            return absl::InvalidArgumentError(absl::StrCat(
                "line ", line_, ": double quote inside an unquoted field (quote the whole field "
                                "and double the quote)"));
          }
          cell.push_back(text_[pos_++]);
        }
      }
      cells.push_back(std::move(cell));
      if (!done() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      SkipLineEnd();
      return cells;
    }
  }

 private:
  // A quoted field starting at the opening quote; leaves the position after the closing one.
  absl::Status TakeQuoted(int record_line, std::string& cell) {
    ++pos_;  // the opening quote
    for (;;) {
      if (done()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "line ", record_line, ": quoted field is not closed before the end of the text"));
      }
      const char c = text_[pos_++];
      if (c == '"') {
        if (!done() && text_[pos_] == '"') {
          cell.push_back('"');
          ++pos_;
          continue;
        }
        break;
      }
      if (c == '\n') ++line_;
      cell.push_back(c);
    }
    if (!done() && text_[pos_] != ',' && !AtLineEnd()) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", line_, ": text after the closing quote of a field"));
    }
    return absl::OkStatus();
  }

  absl::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
};

}  // namespace

absl::StatusOr<CsvTable> ReadCsv(absl::string_view text) {
  if (absl::StartsWith(text, kByteOrderMark)) text.remove_prefix(kByteOrderMark.size());
  CsvTable table;
  Scanner scanner(text);
  bool header_read = false;
  while (!scanner.done()) {
    if (scanner.AtLineEnd()) {
      scanner.SkipLineEnd();
      continue;
    }
    if (!header_read && scanner.peek() == '#') {
      absl::string_view comment = scanner.TakeLine();
      comment.remove_prefix(1);
      if (absl::StartsWith(comment, " ")) comment.remove_prefix(1);
      table.comments.emplace_back(comment);
      continue;
    }
    const int line = scanner.line();
    absl::StatusOr<std::vector<std::string>> cells = scanner.TakeRecord();
    if (!cells.ok()) return cells.status();
    if (!header_read) {
      table.header = *std::move(cells);
      table.header_line = line;
      header_read = true;
    } else {
      table.records.push_back(CsvRecord{line, *std::move(cells)});
    }
  }
  return table;
}

}  // namespace tiendo::rows
