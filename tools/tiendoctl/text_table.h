// TextTable: rows printed in aligned columns for people, under an upper-case header. Widths
// count characters, not bytes, so Vietnamese names (UTF-8, with diacritics) line up.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace tiendo::ctl {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) : header_(std::move(header)) {}

  // One row; as many cells as the header (missing cells print empty).
  void Add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }

  // Header, then the rows; columns separated by two spaces, no trailing blanks.
  void Print(std::ostream& out) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace tiendo::ctl
