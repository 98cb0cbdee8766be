#include "tools/sample-data/procedures.h"

#include "absl/strings/str_cat.h"
#include "services/common/status/check.h"

namespace tiendo::sample {
namespace {

// What an applicant asks for about a licence or certificate.
enum Action : unsigned {
  kIssue = 1,     // Cấp
  kReissue = 2,   // Cấp lại
  kAmend = 4,     // Sửa đổi, bổ sung
  kExtend = 8,    // Gia hạn
  kAdjust = 16,   // Điều chỉnh
};

struct ActionText {
  Action action;
  absl::string_view vi;
  absl::string_view en;
};

constexpr ActionText kActions[] = {
    {kIssue, "Cấp", "Issuance of"},
    {kReissue, "Cấp lại", "Re-issuance of"},
    {kAmend, "Sửa đổi, bổ sung", "Amendment of"},
    {kExtend, "Gia hạn", "Extension of"},
    {kAdjust, "Điều chỉnh", "Adjustment of"},
};

// A document with the actions that apply to it, or (actions == 0) a
// procedure named in full.
struct Entry {
  absl::string_view sector;
  absl::string_view vi;
  absl::string_view en;
  unsigned actions;
};

std::vector<Procedure> Expand(const std::vector<Entry>& entries) {
  std::vector<Procedure> procedures;
  for (const Entry& entry : entries) {
    if (entry.actions == 0) {
      procedures.push_back(
          {std::string(entry.sector), std::string(entry.vi), std::string(entry.en)});
      continue;
    }
    for (const ActionText& action : kActions) {
      if ((entry.actions & action.action) == 0) continue;
      procedures.push_back({std::string(entry.sector), absl::StrCat(action.vi, " ", entry.vi),
                            absl::StrCat(action.en, " ", entry.en)});
    }
  }
  return procedures;
}

std::vector<Entry> InformationAndCommunications() {
  constexpr absl::string_view kPost = "Bưu chính";
  constexpr absl::string_view kPrint = "Xuất bản, In và Phát hành";
  constexpr absl::string_view kPress = "Báo chí";
  constexpr absl::string_view kBroadcast = "Phát thanh, truyền hình và thông tin điện tử";
  constexpr absl::string_view kTelecom = "Viễn thông và Internet";
  return {
      {kPost, "giấy phép bưu chính", "a postal licence", kIssue | kReissue | kAmend},
      {kPost, "Cấp văn bản xác nhận thông báo hoạt động bưu chính",
       "Confirmation of a notice of postal operation", 0},
      {kPost, "Cấp lại văn bản xác nhận thông báo hoạt động bưu chính",
       "Re-issuance of a confirmation of a notice of postal operation", 0},
      {kPrint, "giấy phép hoạt động in", "a printing licence", kIssue | kReissue | kAmend},
      {kPrint, "giấy phép xuất bản tài liệu không kinh doanh",
       "a licence to publish non-commercial documents", kIssue},
      {kPrint, "giấy phép nhập khẩu xuất bản phẩm không kinh doanh",
       "a licence to import non-commercial publications", kIssue},
      {kPrint, "giấy phép tổ chức triển lãm, hội chợ xuất bản phẩm",
       "a licence for a publication fair or exhibition", kIssue},
      {kPrint, "giấy xác nhận đăng ký nhập khẩu máy photocopy màu",
       "a certificate of registration to import colour photocopiers", kIssue},
      {kPrint, "Đăng ký hoạt động cơ sở in", "Registration of a printing establishment", 0},
      {kPrint, "Thay đổi thông tin đăng ký hoạt động cơ sở in",
       "Change of a printing establishment's registration", 0},
      {kPrint, "Đăng ký hoạt động phát hành xuất bản phẩm",
       "Registration of publication distribution", 0},
      {kPress, "giấy phép xuất bản bản tin", "a licence to publish a bulletin", kIssue | kAmend},
      {kPress, "giấy phép xuất bản đặc san", "a licence to publish a special issue", kIssue},
      {kPress,
       "Trưng bày tranh, ảnh và các hình thức thông tin khác bên ngoài trụ sở cơ quan đại diện "
       "nước ngoài",
       "Display of pictures and other information outside a foreign representative office", 0},
      {kBroadcast, "giấy phép thiết lập trang thông tin điện tử tổng hợp",
       "a licence for a general information website", kIssue | kReissue | kAmend | kExtend},
      {kBroadcast,
       "giấy chứng nhận đăng ký thu tín hiệu truyền hình nước ngoài trực tiếp từ vệ tinh",
       "a certificate of registration to receive foreign satellite television", kIssue | kAmend},
      {kBroadcast,
       "giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng",
       "a certificate of eligibility for a public video-game venue",
       kIssue | kReissue | kAmend | kExtend},
      {kTelecom, "giấy phép xây dựng công trình hạ tầng kỹ thuật viễn thông thụ động",
       "a permit for passive telecommunications infrastructure works", kIssue},
      {kTelecom, "Thông báo cung cấp dịch vụ viễn thông tại điểm truy nhập công cộng",
       "Notice of providing telecommunications services at public access points", 0},
  };
}

std::vector<Entry> ScienceAndTechnology() {
  constexpr absl::string_view kScience = "Hoạt động khoa học và công nghệ";
  constexpr absl::string_view kTransfer = "Chuyển giao công nghệ";
  constexpr absl::string_view kQuality = "Tiêu chuẩn, Đo lường, Chất lượng";
  constexpr absl::string_view kRadiation = "Năng lượng nguyên tử, an toàn bức xạ và hạt nhân";
  constexpr absl::string_view kProperty = "Sở hữu trí tuệ";
  return {
      {kScience, "giấy chứng nhận đăng ký hoạt động của tổ chức khoa học và công nghệ",
       "a certificate of registration of a science and technology organisation",
       kIssue | kReissue | kAmend},
      {kScience, "giấy chứng nhận doanh nghiệp khoa học và công nghệ",
       "a science and technology enterprise certificate", kIssue | kReissue | kAmend},
      {kScience,
       "Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ không sử dụng ngân sách nhà nước",
       "Registration of the results of a privately funded science and technology task", 0},
      {kScience, "Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ cấp tỉnh",
       "Registration of the results of a provincial science and technology task", 0},
      {kScience, "Xét tặng giải thưởng khoa học và công nghệ cấp tỉnh",
       "Provincial science and technology award", 0},
      {kTransfer, "giấy chứng nhận đăng ký chuyển giao công nghệ",
       "a certificate of registration of a technology transfer", kIssue | kAmend},
      {kTransfer, "Thẩm định công nghệ dự án đầu tư",
       "Technology appraisal of an investment project", 0},
      {kTransfer, "giấy chứng nhận đủ điều kiện hoạt động dịch vụ đánh giá công nghệ",
       "a certificate of eligibility for technology assessment services",
       kIssue | kReissue | kAmend},
      {kQuality, "Đăng ký công bố hợp chuẩn dựa trên kết quả tự đánh giá",
       "Registration of a declaration of conformity to a standard based on self-assessment", 0},
      {kQuality, "Đăng ký công bố hợp quy đối với sản phẩm, hàng hóa",
       "Registration of a declaration of conformity to technical regulations", 0},
      {kQuality, "Đăng ký kiểm tra nhà nước về chất lượng hàng hóa nhập khẩu",
       "Registration for state quality inspection of imported goods", 0},
      {kQuality, "quyết định chỉ định tổ chức kiểm định phương tiện đo",
       "a designation of a measuring-instrument verification body", kIssue | kAmend | kExtend},
      {kRadiation,
       "giấy phép tiến hành công việc bức xạ sử dụng thiết bị X-quang chẩn đoán trong y tế",
       "a licence for radiation work with diagnostic X-ray equipment",
       kIssue | kReissue | kAmend | kExtend},
      {kRadiation, "chứng chỉ nhân viên bức xạ", "a radiation worker certificate",
       kIssue | kReissue},
      {kRadiation, "Khai báo thiết bị X-quang chẩn đoán trong y tế",
       "Declaration of diagnostic X-ray equipment", 0},
      {kProperty, "Hỗ trợ đăng ký bảo hộ quyền sở hữu công nghiệp",
       "Support for registering industrial property rights", 0},
      {kProperty, "giấy chứng nhận tổ chức đủ điều kiện hoạt động giám định sở hữu công nghiệp",
       "a certificate of an industrial property assessment organisation", kIssue | kReissue},
  };
}

std::vector<Entry> PlanningAndInvestment() {
  constexpr absl::string_view kEnterprise = "Thành lập và hoạt động doanh nghiệp";
  constexpr absl::string_view kInvestment = "Đầu tư tại Việt Nam";
  constexpr absl::string_view kCooperative = "Thành lập và hoạt động của hợp tác xã";
  constexpr absl::string_view kSme = "Hỗ trợ doanh nghiệp nhỏ và vừa";
  return {
      {kEnterprise, "Đăng ký thành lập doanh nghiệp tư nhân",
       "Registration of a private enterprise", 0},
      {kEnterprise, "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên",
       "Registration of a single-member limited liability company", 0},
      {kEnterprise, "Đăng ký thành lập công ty trách nhiệm hữu hạn hai thành viên trở lên",
       "Registration of a multi-member limited liability company", 0},
      {kEnterprise, "Đăng ký thành lập công ty cổ phần", "Registration of a joint stock company",
       0},
      {kEnterprise, "Đăng ký thành lập công ty hợp danh", "Registration of a partnership", 0},
      {kEnterprise, "Đăng ký thay đổi địa chỉ trụ sở chính của doanh nghiệp",
       "Registration of a change of head-office address", 0},
      {kEnterprise, "Đăng ký đổi tên doanh nghiệp", "Registration of a change of enterprise name",
       0},
      {kEnterprise, "Đăng ký thay đổi người đại diện theo pháp luật của công ty",
       "Registration of a change of legal representative", 0},
      {kEnterprise, "Đăng ký thay đổi vốn điều lệ, tỷ lệ vốn góp",
       "Registration of a change of charter capital or capital shares", 0},
      {kEnterprise, "Thông báo thay đổi ngành, nghề kinh doanh",
       "Notice of a change of business lines", 0},
      {kEnterprise,
       "Thông báo tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo",
       "Notice of a suspension, or an early resumption, of business", 0},
      {kEnterprise, "Giải thể doanh nghiệp", "Dissolution of an enterprise", 0},
      {kEnterprise, "Đăng ký hoạt động chi nhánh, văn phòng đại diện, địa điểm kinh doanh",
       "Registration of a branch, representative office or business location", 0},
      {kEnterprise, "Chấm dứt hoạt động chi nhánh, văn phòng đại diện, địa điểm kinh doanh",
       "Closure of a branch, representative office or business location", 0},
      {kEnterprise, "Cấp lại Giấy chứng nhận đăng ký doanh nghiệp",
       "Re-issuance of an enterprise registration certificate", 0},
      {kEnterprise, "Hiệu đính thông tin đăng ký doanh nghiệp",
       "Correction of enterprise registration information", 0},
      {kEnterprise, "Chuyển đổi doanh nghiệp tư nhân thành công ty trách nhiệm hữu hạn",
       "Conversion of a private enterprise into a limited liability company", 0},
      {kEnterprise, "Chuyển đổi công ty trách nhiệm hữu hạn thành công ty cổ phần",
       "Conversion of a limited liability company into a joint stock company", 0},
      {kEnterprise, "Đăng ký thay đổi chủ sở hữu công ty trách nhiệm hữu hạn một thành viên",
       "Registration of a change of owner of a single-member limited liability company", 0},
      {kEnterprise, "Thông báo thay đổi thông tin của cổ đông sáng lập công ty cổ phần",
       "Notice of a change of a joint stock company's founding shareholders", 0},
      {kInvestment, "Giấy chứng nhận đăng ký đầu tư", "an investment registration certificate",
       kIssue | kReissue | kAdjust},
      {kInvestment, "Chấp thuận chủ trương đầu tư của Ủy ban nhân dân cấp tỉnh",
       "Investment policy approval by the provincial People's Committee", 0},
      {kInvestment, "Điều chỉnh chủ trương đầu tư", "Adjustment of an investment policy decision",
       0},
      {kInvestment, "Chấm dứt hoạt động dự án đầu tư", "Termination of an investment project", 0},
      {kInvestment, "Giãn tiến độ thực hiện dự án đầu tư",
       "Extension of an investment project's schedule", 0},
      {kInvestment,
       "Thành lập văn phòng điều hành của nhà đầu tư nước ngoài trong hợp đồng BCC",
       "Establishment of a foreign investor's operating office under a BCC contract", 0},
      {kInvestment, "Góp vốn, mua cổ phần, mua phần vốn góp của nhà đầu tư nước ngoài",
       "Capital contribution or share purchase by a foreign investor", 0},
      {kCooperative, "Đăng ký thành lập liên hiệp hợp tác xã",
       "Registration of a cooperative union", 0},
      {kCooperative, "Đăng ký thay đổi nội dung đăng ký liên hiệp hợp tác xã",
       "Registration of changes to a cooperative union", 0},
      {kCooperative, "Giải thể tự nguyện liên hiệp hợp tác xã",
       "Voluntary dissolution of a cooperative union", 0},
      {kSme, "Hỗ trợ tư vấn chuyển đổi số cho doanh nghiệp nhỏ và vừa",
       "Digital transformation consulting support for SMEs", 0},
      {kSme, "Hỗ trợ doanh nghiệp nhỏ và vừa khởi nghiệp sáng tạo",
       "Support for innovative start-up SMEs", 0},
  };
}

std::vector<Entry> DistrictCommittee() {
  constexpr absl::string_view kHousehold = "Thành lập và hoạt động của hộ kinh doanh";
  constexpr absl::string_view kCivil = "Hộ tịch";
  constexpr absl::string_view kBuilding = "Hoạt động xây dựng";
  constexpr absl::string_view kTrade = "Lưu thông hàng hóa trong nước";
  return {
      {kHousehold, "Đăng ký thành lập hộ kinh doanh", "Registration of a household business", 0},
      {kHousehold, "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh",
       "Registration of changes to a household business", 0},
      {kHousehold,
       "Tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo của hộ kinh doanh",
       "Suspension, or early resumption, of a household business", 0},
      {kHousehold, "Chấm dứt hoạt động hộ kinh doanh", "Closure of a household business", 0},
      {kCivil, "Đăng ký khai sinh có yếu tố nước ngoài",
       "Birth registration with a foreign element", 0},
      {kCivil, "Đăng ký kết hôn có yếu tố nước ngoài",
       "Marriage registration with a foreign element", 0},
      {kCivil, "Thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định lại dân tộc",
       "Change, correction or completion of civil status information", 0},
      {kCivil,
       "Ghi vào Sổ hộ tịch việc hộ tịch của công dân Việt Nam đã được giải quyết tại cơ quan có "
       "thẩm quyền của nước ngoài",
       "Recording civil status acts of Vietnamese citizens settled abroad", 0},
      {kBuilding, "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
       "Construction permit for a new detached house", 0},
      {kBuilding, "Cấp giấy phép sửa chữa, cải tạo đối với nhà ở riêng lẻ",
       "Permit to repair or renovate a detached house", 0},
      {kBuilding, "Gia hạn giấy phép xây dựng đối với nhà ở riêng lẻ",
       "Extension of a construction permit for a detached house", 0},
      {kTrade, "Cấp giấy phép bán lẻ rượu", "Licence for the retail sale of liquor", 0},
      {kTrade, "Cấp giấy phép bán lẻ sản phẩm thuốc lá",
       "Licence for the retail sale of tobacco products", 0},
      {"Văn hóa", "Cấp giấy phép kinh doanh dịch vụ karaoke", "Licence for karaoke services", 0},
      {"Giáo dục và Đào tạo", "Cho phép trường mầm non hoạt động giáo dục",
       "Permission for a kindergarten to operate", 0},
      {"Đất đai",
       "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
       "Registration of changes to land use rights and attached assets", 0},
      {"Bảo trợ xã hội", "Trợ giúp xã hội khẩn cấp về hỗ trợ làm nhà ở",
       "Emergency social assistance for housing", 0},
  };
}

}  // namespace

std::vector<Procedure> DepartmentProcedures(absl::string_view reporting_unit_id) {
  if (reporting_unit_id == "dept-ic") return Expand(InformationAndCommunications());
  if (reporting_unit_id == "dept-st") return Expand(ScienceAndTechnology());
  TIENDO_CHECK(reporting_unit_id == "dept-pi", "no procedures for this department");
  return Expand(PlanningAndInvestment());
}

std::vector<Procedure> DistrictProcedures() { return Expand(DistrictCommittee()); }

}  // namespace tiendo::sample
