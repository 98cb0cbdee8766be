# Validation: periods, civil dates, tax codes, administrative units at a date
# and the rules a submitted figure must follow.
list(APPEND TIENDO_CORE_SOURCES
  period.cc civil_date.cc tax_code.cc administrative_units.cc value_rules.cc)
list(APPEND TIENDO_CORE_TESTS
  period_test.cc civil_date_test.cc tax_code_test.cc administrative_units_test.cc
  value_rules_test.cc)
