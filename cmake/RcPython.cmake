# The Python package python/rtcascade (pure Python over librtcascade.so through ctypes):
#
# - build: copied into ${CMAKE_BINARY_DIR}/python/rtcascade (file by file, when a file changes),
#   with a generated _paths.py naming this build's librtcascade.so, so that
#   `PYTHONPATH=build/python /usr/bin/python3 -c "import rtcascade"` uses the library just built;
# - install: into the prefix's Python site folder (RC_PYTHON_SITE, relative to the prefix:
#   Debian's lib/python3/dist-packages for /usr, lib/python3.X/dist-packages elsewhere, as the
#   interpreter's sysconfig says), with a _paths.py naming the installed library relative to the
#   package, so that an install moved with --prefix still finds its own library.
#
# The package looks for the library in this order: $RTCASCADE_LIBRARY, then _paths.py, then a
# source checkout's build/, then the system's loader (python/rtcascade/_lib.py).

set(RC_PYTHON_PACKAGE_FILES
  __init__.py _config.py _errors.py _experiment.py _graph.py _lib.py _progress.py _requires.py
  _simulate.py
  _worker.py results.py
  plot/__init__.py plot/_common.py plot/ccdf.py plot/curves.py plot/figures.py
  plot/heatmap.py plot/means.py plot/fit.py)

set(RC_PYTHON_BUILD_DIR ${CMAKE_BINARY_DIR}/python)
set(rc_python_outputs "")
foreach(f ${RC_PYTHON_PACKAGE_FILES})
  set(src ${CMAKE_SOURCE_DIR}/python/rtcascade/${f})
  set(dst ${RC_PYTHON_BUILD_DIR}/rtcascade/${f})
  add_custom_command(OUTPUT ${dst}
    COMMAND ${CMAKE_COMMAND} -E copy_if_different ${src} ${dst}
    DEPENDS ${src} COMMENT "Python package: rtcascade/${f}" VERBATIM)
  list(APPEND rc_python_outputs ${dst})
endforeach()

# Where the installed package goes, relative to the prefix (Debian's layout, from the
# interpreter that runs the tests and scripts).
if(NOT DEFINED RC_PYTHON_SITE)
  execute_process(
    COMMAND ${RC_PYTHON} -c [=[
import os, sys, sysconfig
prefix = sys.argv[1]
schemes = sysconfig.get_scheme_names()
if "deb_system" in schemes and prefix == "/usr":
    path = sysconfig.get_path("purelib", "deb_system", vars={"base": prefix})
elif "posix_local" in schemes:  # Debian: /usr/local/lib/python3.X/dist-packages, for any prefix
    path = os.path.join(prefix, os.path.relpath(
        sysconfig.get_path("purelib", "posix_local", vars={"base": "/usr"}), "/usr/local"))
else:
    path = sysconfig.get_path("purelib", "posix_prefix", vars={"base": prefix})
print(os.path.relpath(path, prefix))
]=] ${CMAKE_INSTALL_PREFIX}
    OUTPUT_VARIABLE rc_site OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc_site_rc)
  if(NOT rc_site_rc EQUAL 0 OR rc_site STREQUAL "")
    set(rc_site lib/python3/dist-packages)
  endif()
  set(RC_PYTHON_SITE ${rc_site} CACHE STRING
    "Where the Python package is installed, relative to the prefix")
endif()

if(TARGET rtcascade)
  file(GENERATE OUTPUT ${RC_PYTHON_BUILD_DIR}/rtcascade/_paths.py CONTENT
"# Written by CMake: the librtcascade of the build this copy of the package belongs to.
LIBRARY = \"$<TARGET_FILE:rtcascade>\"
")
  file(RELATIVE_PATH rc_py_to_lib "${CMAKE_INSTALL_PREFIX}/${RC_PYTHON_SITE}/rtcascade"
    "${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}")
  string(REGEX REPLACE "/$" "" rc_py_to_lib "${rc_py_to_lib}")
  file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/python_install/_paths.py CONTENT
"# Written by CMake at install: the installed librtcascade, relative to this folder.
LIBRARY = \"${rc_py_to_lib}/$<TARGET_SONAME_FILE_NAME:rtcascade>\"
")
  install(FILES ${CMAKE_BINARY_DIR}/python_install/_paths.py
    DESTINATION ${RC_PYTHON_SITE}/rtcascade)
  add_custom_target(rtcascade_python ALL DEPENDS ${rc_python_outputs} rtcascade)
else()
  # No shared library (RC_STATIC, or RC_SHARED off): the package reads and plots results; the
  # engine's parts need RTCASCADE_LIBRARY or an installed library.
  add_custom_target(rtcascade_python ALL DEPENDS ${rc_python_outputs})
endif()

foreach(f ${RC_PYTHON_PACKAGE_FILES})
  get_filename_component(sub ${f} DIRECTORY)
  install(FILES python/rtcascade/${f} DESTINATION ${RC_PYTHON_SITE}/rtcascade/${sub})
endforeach()
