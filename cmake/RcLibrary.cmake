# librtcascade from the layers' objects (RcLayers.cmake): rtcascade_static (librtcascade.a) and,
# unless RC_SHARED is off or RC_STATIC asks for static archives of the dependencies, rtcascade
# (librtcascade.so.<SOVERSION>). Both carry the public headers' include path and the link
# dependencies a consumer needs; `rtcascade` below means the shared one when it is built, else
# the static one (tests and the CLI use rtcascade_static).
get_property(RC_ALL_LAYERS GLOBAL PROPERTY RC_LAYERS)
set(RC_LAYER_OBJECTS "")
set(RC_BUILD_INCLUDES "")
foreach(layer ${RC_ALL_LAYERS})
  string(REGEX REPLACE "^rc_" "" name ${layer})
  list(APPEND RC_LAYER_OBJECTS $<TARGET_OBJECTS:${layer}>)
  list(APPEND RC_BUILD_INCLUDES ${RC_LAYER_ROOT}/${name}/include)
endforeach()

# Link dependencies: GSL is public (rtcascade/rng.h includes its headers); OpenMP, pthreads,
# HDF5, libyaml and zlib are the library's own, so a shared-library consumer never sees them,
# while a static-library consumer links them.
set(RC_PRIVATE_DEPS OpenMP::OpenMP_C Threads::Threads m)
set(RC_PRIVATE_BUILD_DEPS rc_hdf5 ZLIB::ZLIB rc_yaml ${RC_RUN_MPI})
set(RC_PRIVATE_INSTALL_DEPS ${HDF5_C_LIBRARIES} ${YAML_LINK_LIBRARIES} ZLIB::ZLIB ${RC_RUN_MPI})

function(rc_library target type)
  add_library(${target} ${type} ${RC_LAYER_OBJECTS})
  add_library(rtcascade::${target} ALIAS ${target})
  target_include_directories(${target} INTERFACE
    "$<BUILD_INTERFACE:${RC_BUILD_INCLUDES}>" "$<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>")
  set_target_properties(${target} PROPERTIES OUTPUT_NAME rtcascade
    POSITION_INDEPENDENT_CODE ON EXPORT_NAME ${target})
  if(type STREQUAL "SHARED")
    set_target_properties(${target} PROPERTIES VERSION ${PROJECT_VERSION}
      SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})
    target_link_libraries(${target} PUBLIC GSL::gsl
      PRIVATE ${RC_PRIVATE_DEPS} ${RC_PRIVATE_BUILD_DEPS})
  else()
    target_link_libraries(${target} PUBLIC GSL::gsl ${RC_PRIVATE_DEPS}
      "$<BUILD_INTERFACE:${RC_PRIVATE_BUILD_DEPS}>"
      "$<INSTALL_INTERFACE:${RC_PRIVATE_INSTALL_DEPS}>")
  endif()
endfunction()

rc_library(rtcascade_static STATIC)
if(RC_SHARED AND NOT RC_STATIC)
  rc_library(rtcascade SHARED)
  set(RC_LIBRARY_TARGETS rtcascade rtcascade_static)
else()
  set(RC_LIBRARY_TARGETS rtcascade_static)
endif()
