# -DRC_SANITIZE=address,undefined builds everything with those sanitizers (and frame pointers).
if(RC_SANITIZE)
  set(_rc_san "-fsanitize=${RC_SANITIZE}" -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_compile_options(${_rc_san})
  add_link_options(-fsanitize=${RC_SANITIZE})
  message(STATUS "rtcascade: sanitizers ${RC_SANITIZE}")
endif()
