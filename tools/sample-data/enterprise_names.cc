#include "tools/sample-data/enterprise_names.h"

#include <array>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace tiendo::sample {
namespace {

struct Brand {
  absl::string_view vi;
  absl::string_view ascii;
};

constexpr std::array<Brand, 50> kBrands = {{
    {"Biển Xanh", "Bien Xanh"},     {"Sao Mai", "Sao Mai"},
    {"Hải Đăng", "Hai Dang"},       {"Bạch Dinh", "Bach Dinh"},
    {"Nghinh Phong", "Nghinh Phong"}, {"Phương Nam", "Phuong Nam"},
    {"Long Hải", "Long Hai"},       {"Hồ Tràm", "Ho Tram"},
    {"Côn Sơn", "Con Son"},         {"Thái Bình Dương", "Thai Binh Duong"},
    {"Đông Á", "Dong A"},           {"Việt Tín", "Viet Tin"},
    {"An Phát", "An Phat"},         {"Thành Công", "Thanh Cong"},
    {"Minh Khang", "Minh Khang"},   {"Bình Minh", "Binh Minh"},
    {"Hưng Thịnh", "Hung Thinh"},   {"Ánh Dương", "Anh Duong"},
    {"Tân Cảng", "Tan Cang"},       {"Sóng Việt", "Song Viet"},
    {"Rạng Đông", "Rang Dong"},     {"Kim Long", "Kim Long"},
    {"Trường Sơn", "Truong Son"},   {"Hoàng Gia", "Hoang Gia"},
    {"Đại Dương", "Dai Duong"},     {"Ngọc Trai", "Ngoc Trai"},
    {"Vũng Tàu", "Vung Tau"},       {"Bà Rịa", "Ba Ria"},
    {"Phú Mỹ", "Phu My"},           {"Cát Tường", "Cat Tuong"},
    {"Phúc Lộc", "Phuc Loc"},       {"Tâm Việt", "Tam Viet"},
    {"Nam Việt", "Nam Viet"},       {"Thiên Long", "Thien Long"},
    {"Gió Biển", "Gio Bien"},       {"Hòa Bình", "Hoa Binh"},
    {"Tiến Phát", "Tien Phat"},     {"Quang Minh", "Quang Minh"},
    {"Trí Việt", "Tri Viet"},       {"Đất Việt", "Dat Viet"},
    {"Sông Dinh", "Song Dinh"},     {"Núi Lớn", "Nui Lon"},
    {"Bãi Sau", "Bai Sau"},         {"Ngọc Lan", "Ngoc Lan"},
    {"Thùy Dương", "Thuy Duong"},   {"Lộc Phát", "Loc Phat"},
    {"Hải Âu", "Hai Au"},           {"Tân Thành", "Tan Thanh"},
    {"Vạn Phúc", "Van Phuc"},       {"Nhật Minh", "Nhat Minh"},
}};

enum class LegalForm { kLimited, kSingleMemberLimited, kJointStock, kPrivate };

struct LegalFormText {
  LegalForm form;
  absl::string_view vi_prefix;
  absl::string_view en_suffix;    // empty: no English name is registered
  absl::string_view short_suffix;
  int weight;
};

constexpr std::array<LegalFormText, 4> kLegalForms = {{
    {LegalForm::kLimited, "Công ty TNHH", "Company Limited", "CO., LTD", 430},
    {LegalForm::kSingleMemberLimited, "Công ty TNHH Một thành viên",
     "One Member Company Limited", "CO., LTD", 250},
    {LegalForm::kJointStock, "Công ty Cổ phần", "Joint Stock Company", "JSC", 270},
    {LegalForm::kPrivate, "Doanh nghiệp Tư nhân", "", "", 50},
}};

// True if the two phrases share a word ("Vận tải Biển" and "Biển Xanh"),
// which would read badly next to each other.
bool ShareAWord(absl::string_view a, absl::string_view b) {
  for (absl::string_view word : absl::StrSplit(a, ' ')) {
    for (absl::string_view other : absl::StrSplit(b, ' ')) {
      if (word == other) return true;
    }
  }
  return false;
}

}  // namespace

EnterpriseName MakeEnterpriseName(Random& random, const LineOfBusiness& line,
                                  std::set<std::string>& taken) {
  std::vector<int> weights;
  for (const LegalFormText& form : kLegalForms) weights.push_back(form.weight);
  for (;;) {
    const LegalFormText& form = kLegalForms[random.Weighted(weights)];
    const Brand& brand = random.Pick(kBrands);
    if (ShareAWord(line.name_vi, brand.vi)) continue;
    EnterpriseName name;
    name.name_vi = absl::StrCat(form.vi_prefix, " ", line.name_vi, " ", brand.vi);
    if (!taken.insert(name.name_vi).second) continue;
    if (!form.en_suffix.empty() && random.PerMille(750)) {
      name.name_en = absl::StrCat(brand.ascii, " ", line.name_en, " ", form.en_suffix);
      if (random.PerMille(650)) {
        name.short_name = absl::StrCat(absl::AsciiStrToUpper(brand.ascii), " ", line.short_tag,
                                       " ", form.short_suffix);
      }
    }
    return name;
  }
}

EnterpriseName MakeBranchName(const EnterpriseName& parent, const District& place) {
  EnterpriseName name;
  name.name_vi = absl::StrCat("Chi nhánh ", parent.name_vi, " tại ", place.place_vi);
  if (!parent.name_en.empty()) {
    name.name_en = absl::StrCat(parent.name_en, " - ", place.place_ascii, " Branch");
  }
  return name;
}

}  // namespace tiendo::sample
