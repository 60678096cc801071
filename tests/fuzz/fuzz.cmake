# The fuzz harnesses of tests/fuzz (tests/fuzz/README.md), included by the
# top CMakeLists.txt after the library targets.
#
# DUBAN_FUZZ (clang): fuzz_<target>, each harness with libFuzzer's main();
# the library is instrumented with -fsanitize=fuzzer-no-link (top file).
# DUBAN_TESTS: replay_<target>, each harness with replay.c, a ctest that
# runs the committed corpus tests/fuzz/corpus/<target>/ through it.
set(DUBAN_FUZZ_TARGETS csv xlsx filetype calendar router import)

if(DUBAN_FUZZ)
  foreach(t ${DUBAN_FUZZ_TARGETS})
    add_executable(fuzz_${t} tests/fuzz/fuzz_${t}.c)
    target_include_directories(fuzz_${t} PRIVATE tests/fuzz)
    target_link_libraries(fuzz_${t} PRIVATE duban_lib)
    target_link_options(fuzz_${t} PRIVATE -fsanitize=fuzzer)
  endforeach()
endif()

if(DUBAN_TESTS)
  foreach(t ${DUBAN_FUZZ_TARGETS})
    add_executable(replay_${t} tests/fuzz/replay.c tests/fuzz/fuzz_${t}.c)
    target_include_directories(replay_${t} PRIVATE tests/fuzz)
    target_link_libraries(replay_${t} PRIVATE duban_lib)
    add_test(NAME replay_${t} COMMAND replay_${t}
             ${CMAKE_SOURCE_DIR}/tests/fuzz/corpus/${t})
  endforeach()
endif()
