#include "tools/tiendoctl/text_table.h"

#include <algorithm>
#include <string>

namespace tiendo::ctl {
namespace {

// Characters in UTF-8 `text`: every byte that does not continue a sequence.
size_t Width(const std::string& text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

void PrintRow(const std::vector<std::string>& row, const std::vector<size_t>& widths,
              std::ostream& out) {
  std::string line;
  for (size_t column = 0; column < widths.size(); ++column) {
    const std::string cell = column < row.size() ? row[column] : "";
    line += cell;
    if (column + 1 < widths.size()) line.append(widths[column] - Width(cell) + 2, ' ');
  }
  // Empty cells at the end leave no trailing blanks.
  line.erase(line.find_last_not_of(' ') + 1);
  out << line << "\n";
}

}  // namespace

void TextTable::Print(std::ostream& out) const {
  std::vector<size_t> widths(header_.size(), 0);
  for (size_t column = 0; column < header_.size(); ++column) {
    widths[column] = Width(header_[column]);
    for (const std::vector<std::string>& row : rows_) {
      if (column < row.size()) widths[column] = std::max(widths[column], Width(row[column]));
    }
  }
  PrintRow(header_, widths, out);
  for (const std::vector<std::string>& row : rows_) PrintRow(row, widths, out);
}

}  // namespace tiendo::ctl
