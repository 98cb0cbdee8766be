#include "tools/sample-data/lines_of_business.h"

namespace tiendo::sample {
namespace {

// VSIC 2018 codes used below:
//   2610 electronic components · 2620 computers and peripherals ·
//   2630 communication equipment · 2640 consumer electronics ·
//   4651 wholesale of computers, peripherals and software ·
//   4652 wholesale of electronic and telecommunications equipment ·
//   4741 retail of computers and software · 4791 retail over the internet ·
//   5820 software publishing · 6190 other telecommunications ·
//   6201 computer programming · 6202 computer consultancy and systems
//   management · 6209 other IT services · 6311 data processing and hosting ·
//   6312 web portals · 9511 repair of computers · 9512 repair of
//   communication equipment.
std::vector<LineOfBusiness> MakeLines() {
  return {
      // Digital technology.
      {"Phần mềm", "Software", "SOFT", {"6201", "5820", "6202", "6209", "6311"}, true, true, 16},
      {"Công nghệ", "Technology", "TECH", {"6201", "6202", "6209", "4651", "9511"}, true, true,
       18},
      {"Giải pháp Số", "Digital Solutions", "DIGITAL", {"6202", "6201", "6311", "6312"}, true,
       true, 10},
      {"Công nghệ Thông tin", "Information Technology", "IT", {"6209", "6202", "4651", "9511"},
       true, true, 12},
      {"Chuyển đổi Số", "Digital Transformation", "DX", {"6202", "6201", "6311"}, true, true, 6},
      {"Dữ liệu", "Data", "DATA", {"6311", "6312", "6201"}, true, true, 4},
      {"An ninh Mạng", "Cyber Security", "SECURITY", {"6202", "6209", "6201"}, true, true, 3},
      {"Trí tuệ Nhân tạo", "Artificial Intelligence", "AI", {"6201", "6311", "6202"}, true,
       true, 2},
      {"Truyền thông Số", "Digital Media", "MEDIA", {"6312", "5820", "6201"}, true, false, 6},
      {"Thương mại Điện tử", "E-commerce", "ECOM", {"4791", "6312", "4651"}, true, false, 5},
      {"Thiết bị Tin học", "Computer Equipment", "COMPUTER", {"4651", "4741", "9511"}, true,
       false, 9},
      {"Điện tử Viễn thông", "Electronics and Telecommunications", "TELECOM",
       {"4652", "2630", "6190", "9512"}, true, false, 6},
      {"Linh kiện Điện tử", "Electronic Components", "ELECTRONICS",
       {"2610", "2620", "2640", "4652"}, true, false, 3},
      {"Dịch vụ Tin học", "IT Services", "IT SERVICES", {"9511", "9512", "6209", "4741"}, true,
       false, 7},
      // Other lines of the province's economy.
      {"Thương mại Dịch vụ", "Trading and Services", "TRADING", {"4690", "4610", "4711"}, false,
       false, 20},
      {"Du lịch", "Tourism", "TRAVEL", {"7911", "7912", "5510"}, false, false, 12},
      {"Khách sạn", "Hotel", "HOTEL", {"5510", "5610"}, false, false, 8},
      {"Thủy sản", "Seafood", "SEAFOOD", {"1020", "0311", "4632"}, false, false, 10},
      {"Logistics", "Logistics", "LOGISTICS", {"5229", "5210", "4933"}, false, false, 10},
      {"Vận tải Biển", "Shipping", "SHIPPING", {"5012", "5222", "5229"}, false, false, 6},
      {"Dịch vụ Dầu khí", "Petroleum Services", "PETRO", {"0910", "3312", "7110"}, false, false,
       5},
      {"Xây dựng", "Construction", "CONSTRUCTION", {"4101", "4102", "4290"}, false, false, 8},
      {"Nông sản", "Agricultural Products", "AGRO", {"4620", "4632", "0150"}, false, false, 6},
  };
}

}  // namespace

const std::vector<LineOfBusiness>& LinesOfBusiness() {
  static const std::vector<LineOfBusiness>* const lines =
      new std::vector<LineOfBusiness>(MakeLines());
  return *lines;
}

}  // namespace tiendo::sample
