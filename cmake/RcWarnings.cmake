# Warnings on for every target of the project; RC_WERROR turns them into errors (CI does).
function(rc_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wshadow -Wstrict-prototypes
    -Wmissing-prototypes -Wno-unused-parameter)
  if(CMAKE_C_COMPILER_ID MATCHES "Clang")
    # clang reports an `omp simd` loop it did not vectorise (an optimiser remark, e.g. under the
    # fuzz build's sanitizers) as a warning; the loop is still correct, so it is not an error
    target_compile_options(${target} PRIVATE -Wno-pass-failed)
  endif()
  if(RC_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(RC_NATIVE)
    target_compile_options(${target} PRIVATE -march=native)
  endif()
endfunction()
