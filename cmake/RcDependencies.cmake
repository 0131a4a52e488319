# Finds GSL, OpenMP, HDF5 (C), zlib and libyaml; each becomes an imported target.
find_package(GSL 2.5 REQUIRED)
find_package(OpenMP REQUIRED COMPONENTS C)
find_package(ZLIB REQUIRED)
find_package(HDF5 REQUIRED COMPONENTS C)

add_library(rc_hdf5 INTERFACE)
target_include_directories(rc_hdf5 INTERFACE ${HDF5_C_INCLUDE_DIRS} ${HDF5_INCLUDE_DIRS})
target_link_libraries(rc_hdf5 INTERFACE ${HDF5_C_LIBRARIES})
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
