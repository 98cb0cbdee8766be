# Registry entities: the canonical form of enterprises, public services and reporting units
# and the rules every registry write (and every import row) of one must follow.
list(APPEND TIENDO_CORE_SOURCES
  utf8_text.cc field_rules.cc string_lists.cc administrative_unit_code_rule.cc
  enterprise_rules.cc public_service_rules.cc reporting_unit_rules.cc)
list(APPEND TIENDO_CORE_TESTS
  utf8_text_test.cc field_rules_test.cc problem_test.cc
  enterprise_rules_test.cc public_service_rules_test.cc reporting_unit_rules_test.cc)
