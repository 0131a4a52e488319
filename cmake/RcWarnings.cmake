# Warnings on for every target of the project; RC_WERROR turns them into errors (CI does).
function(rc_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wshadow -Wstrict-prototypes
    -Wmissing-prototypes -Wno-unused-parameter)
  if(RC_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(RC_NATIVE)
    target_compile_options(${target} PRIVATE -march=native)
  endif()
endfunction()
