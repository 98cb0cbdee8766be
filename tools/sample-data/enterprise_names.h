// Registered names of synthetic enterprises: Vietnamese with diacritics
// ("Công ty Cổ phần Công nghệ Biển Xanh"), the English name and the
// abbreviation many enterprises also register ("Bien Xanh Technology Joint
// Stock Company", "BIEN XANH TECH JSC"), and branch names.
#pragma once

#include <set>
#include <string>

#include "tools/sample-data/districts.h"
#include "tools/sample-data/lines_of_business.h"
#include "tools/sample-data/random.h"

namespace tiendo::sample {

struct EnterpriseName {
  std::string name_vi;
  std::string name_en;     // may be empty
  std::string short_name;  // may be empty
};

// A name for an enterprise in `line` whose Vietnamese name is not in `taken`;
// adds it there.
EnterpriseName MakeEnterpriseName(Random& random, const LineOfBusiness& line,
                                  std::set<std::string>& taken);

// The name of a branch of `parent` in `place`: "Chi nhánh <parent> tại <place>".
EnterpriseName MakeBranchName(const EnterpriseName& parent, const District& place);

}  // namespace tiendo::sample
