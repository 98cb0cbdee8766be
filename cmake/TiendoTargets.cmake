# Helpers that keep every target of the tree built the same way.

# tiendo_library(NAME SOURCES... DEPS...): a static library of project code.
function(tiendo_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS} PRIVATE tiendo_warnings)
endfunction()

# tiendo_executable(NAME SOURCES... DEPS...): a program of the suite, with the suite's
# allocator (tiendo_allocator).
function(tiendo_executable name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} tiendo_warnings tiendo_allocator)
endfunction()

# tiendo_unit_test(NAME SOURCES... DEPS... [LABELS...]): a GoogleTest binary
# registered with ctest under the "unit" label and any LABELS given. Tests that
# run librdkafka carry the "kafka" label: ThreadSanitizer cannot run them, as
# librdkafka starts its threads with C11 thrd_create, which GCC 12's TSan does
# not intercept (the tsan test preset leaves them out).
function(tiendo_unit_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main
    GTest::gmock tiendo_warnings)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS "unit;${ARG_LABELS}" TIMEOUT 300)
endfunction()

# tiendo_protoc(OUT_VAR ROOT REL_PATH): generates message and gRPC code for
# ROOT/REL_PATH into ${CMAKE_CURRENT_BINARY_DIR}/gen and appends the files to
# OUT_VAR. Imports resolve against proto/, grpc-proto and protobuf's own.
find_program(GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)
set(GRPC_PROTO_DIR /usr/share/grpc-proto CACHE PATH "Where grpc-proto installs the gRPC protos")
if(NOT EXISTS "${GRPC_PROTO_DIR}/grpc/health/v1/health.proto")
  message(FATAL_ERROR "grpc/health/v1/health.proto not found under ${GRPC_PROTO_DIR}; "
                      "install grpc-proto (deploy/install-deps.sh)")
endif()
function(tiendo_protoc out_var root rel)
  set(gen_dir ${CMAKE_CURRENT_BINARY_DIR}/gen)
  file(MAKE_DIRECTORY ${gen_dir})
  string(REGEX REPLACE "\\.proto$" "" stem ${rel})
  set(outs ${gen_dir}/${stem}.pb.cc ${gen_dir}/${stem}.pb.h
           ${gen_dir}/${stem}.grpc.pb.cc ${gen_dir}/${stem}.grpc.pb.h)
  add_custom_command(
    OUTPUT ${outs}
    COMMAND protobuf::protoc
      -I ${PROJECT_SOURCE_DIR}/proto -I ${GRPC_PROTO_DIR} -I ${Protobuf_INCLUDE_DIRS}
      --cpp_out=${gen_dir} --grpc_out=${gen_dir}
      --plugin=protoc-gen-grpc=${GRPC_CPP_PLUGIN}
      ${root}/${rel}
    DEPENDS ${root}/${rel} protobuf::protoc
    COMMENT "protoc ${rel}"
    VERBATIM)
  set(${out_var} ${${out_var}} ${outs} PARENT_SCOPE)
endfunction()
