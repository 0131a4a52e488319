# Finds GSL, OpenMP, HDF5 (C), zlib and libyaml; each becomes an imported target.

# RC_STATIC: prefer static archives, so that the CLI can be copied to machines without GSL.
if(RC_STATIC)
  set(CMAKE_FIND_LIBRARY_SUFFIXES .a)
  set(HDF5_USE_STATIC_LIBRARIES ON)
endif()
find_package(GSL 2.5 REQUIRED)
find_package(OpenMP REQUIRED COMPONENTS C)
find_package(ZLIB REQUIRED)
set(THREADS_PREFER_PTHREAD_FLAG ON)
find_package(Threads REQUIRED)
find_package(HDF5 REQUIRED COMPONENTS C)

if(RC_STATIC AND RC_WITH_MPI)
  # A dynamically linked (MPI) binary must take the C library's own parts as shared objects.
  list(FILTER HDF5_C_LIBRARIES EXCLUDE REGEX "/lib(m|dl|pthread|rt|c)\\.a$")
endif()
add_library(rc_hdf5 INTERFACE)
target_include_directories(rc_hdf5 INTERFACE ${HDF5_C_INCLUDE_DIRS} ${HDF5_INCLUDE_DIRS})
target_link_libraries(rc_hdf5 INTERFACE ${HDF5_C_LIBRARIES})
if(RC_STATIC)
  # Debian's static HDF5 needs its compression filters (libaec's szip) and libdl.
  find_library(RC_SZ_LIB NAMES sz)
  find_library(RC_AEC_LIB NAMES aec)
  foreach(lib ${RC_SZ_LIB} ${RC_AEC_LIB})
    if(lib)
      target_link_libraries(rc_hdf5 INTERFACE ${lib})
    endif()
  endforeach()
  target_link_libraries(rc_hdf5 INTERFACE ZLIB::ZLIB ${CMAKE_DL_LIBS} m)
endif()
target_compile_definitions(rc_hdf5 INTERFACE ${HDF5_C_DEFINITIONS} H5_USE_110_API)

# libyaml ships a pkg-config file but no CMake package.
find_package(PkgConfig REQUIRED)
pkg_check_modules(YAML REQUIRED IMPORTED_TARGET yaml-0.1)
add_library(rc_yaml INTERFACE)
target_link_libraries(rc_yaml INTERFACE PkgConfig::YAML)

# Python with h5py/numpy for the scripts and their tests: the distribution's interpreter, since
# the first python3 on PATH may be a separate one without them.
find_program(RC_PYTHON NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT RC_PYTHON)
  find_program(RC_PYTHON NAMES python3)
endif()
