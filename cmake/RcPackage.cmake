# Installing librtcascade for other programs: the libraries, every public header (with
# rtcascade/rtcascade.h, which includes them all), a CMake package (find_package(rtcascade) gives
# rtcascade::rtcascade, the shared library, and rtcascade::rtcascade_static) and a relocatable
# pkg-config file.
install(TARGETS ${RC_LIBRARY_TARGETS} EXPORT rtcascadeTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
get_property(RC_PUBLIC_HEADERS GLOBAL PROPERTY RC_PUBLIC_HEADERS)
set(RC_HEADER_FILES "")
foreach(h ${RC_PUBLIC_HEADERS})
  if(IS_ABSOLUTE ${h})
    list(APPEND RC_HEADER_FILES ${h})
  else()
    list(APPEND RC_HEADER_FILES ${CMAKE_CURRENT_SOURCE_DIR}/sim/include/rtcascade/${h})
  endif()
endforeach()
install(FILES ${RC_HEADER_FILES} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/rtcascade)

include(CMakePackageConfigHelpers)
set(RC_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/rtcascade)
install(EXPORT rtcascadeTargets NAMESPACE rtcascade:: DESTINATION ${RC_CMAKE_DIR})
configure_package_config_file(cmake/rtcascadeConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/rtcascadeConfig.cmake INSTALL_DESTINATION ${RC_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/rtcascadeConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/rtcascadeConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/rtcascadeConfigVersion.cmake DESTINATION ${RC_CMAKE_DIR})

# The .pc file is relocatable (prefix from its own folder), so `cmake --install --prefix` works;
# HDF5 has no portable pkg-config name across distributions, so its libraries are written out.
string(REPLACE ";" " " RC_PC_HDF5_LIBS "${HDF5_C_LIBRARIES}")
set(RC_PC_MPI_LIBS "")
if(RC_WITH_MPI)
  string(REPLACE ";" " " RC_PC_MPI_LIBS "${MPI_C_LIBRARIES}")
endif()
file(RELATIVE_PATH RC_PC_TO_PREFIX "${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig" "${CMAKE_INSTALL_PREFIX}")
configure_file(cmake/rtcascade.pc.in ${CMAKE_CURRENT_BINARY_DIR}/rtcascade.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/rtcascade.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
