# Cells, aggregates and progress: the state the evaluator keeps, and its snapshots.
list(APPEND TIENDO_CORE_SOURCES
  micros.cc name_table.cc cell_store.cc period_aggregate.cc reported_series.cc
  day_counter.cc entity_match.cc derived_series.cc
  progress_assessment.cc progress_tracker.cc progress_report.cc tracker_snapshot.cc
  submission_fields.cc)
list(APPEND TIENDO_CORE_TESTS
  cell_store_test.cc period_aggregate_test.cc progress_assessment_test.cc
  progress_tracker_test.cc day_counter_test.cc entity_match_test.cc progress_report_test.cc
  tracker_snapshot_test.cc reported_series_test.cc)
