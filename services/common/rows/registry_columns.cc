#include "services/common/rows/registry_columns.h"

namespace tiendo::rows {

const ColumnAliases& EnterpriseColumnAliases() {
  static const ColumnAliases* const aliases =
      new ColumnAliases{{"platform_adopted", "platform_adoption.adopted"},
                        {"platform_adopted_since", "platform_adoption.since"}};
  return *aliases;
}

const ColumnAliases& PublicServiceColumnAliases() {
  static const ColumnAliases* const aliases = new ColumnAliases{};
  return *aliases;
}

const ColumnAliases& SubmissionColumnAliases() {
  static const ColumnAliases* const aliases =
      new ColumnAliases{{"district", "disaggregation.district"},
                        {"numerator", "ratio.numerator"},
                        {"denominator", "ratio.denominator"}};
  return *aliases;
}

}  // namespace tiendo::rows
