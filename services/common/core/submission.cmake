# Submissions: the rules metrics-ingest checks every submitted item against, and the content
# fingerprint that tells a resend from a conflict.
list(APPEND TIENDO_CORE_SOURCES submission_rules.cc)
list(APPEND TIENDO_CORE_TESTS submission_rules_test.cc)
