# Plans: problems found in documents and the semantic rules of plan files.
list(APPEND TIENDO_CORE_SOURCES problem.cc closest_name.cc plan_validation.cc)
list(APPEND TIENDO_CORE_TESTS plan_validation_test.cc)
