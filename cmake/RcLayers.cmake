# The library's layers (docs/design.md), each an OBJECT library that sees only its own headers
# and those of the layers it links, so that an include the wrong way fails the build:
#
#   rc_add_layer(NAME FOLDER dir SOURCES a.c ... HEADERS x.h ... [LAYERS lower ...] [LIBS ...])
#
# HEADERS are the layer's public headers, which live in sim/include/rtcascade/ (one folder for
# every public header, installed as include/rtcascade/). Each layer gets a private view of them:
# ${CMAKE_BINARY_DIR}/layers/NAME/include/rtcascade/ holds links to its own headers only, and
# linking a lower layer adds that layer's view. Private headers stay next to their sources and are
# included as "FOLDER/x.h" (e.g. "io/h5util.h"); the layer's private include root holds a link to
# its own folder only, so another layer cannot reach them either.
set(RC_LAYER_ROOT ${CMAKE_BINARY_DIR}/layers)

function(rc_layer_link target link)
  if(EXISTS ${link} OR IS_SYMLINK ${link})
    file(REMOVE ${link})
  endif()
  file(CREATE_LINK ${target} ${link} SYMBOLIC COPY_ON_ERROR)
endfunction()

function(rc_add_layer name)
  cmake_parse_arguments(L "" "FOLDER" "SOURCES;HEADERS;LAYERS;LIBS;PRIVATE_LIBS" ${ARGN})
  set(inc ${RC_LAYER_ROOT}/${name}/include)
  set(priv ${RC_LAYER_ROOT}/${name}/private)
  file(REMOVE_RECURSE ${inc} ${priv})
  file(MAKE_DIRECTORY ${inc}/rtcascade ${priv})
  foreach(h ${L_HEADERS})
    if(IS_ABSOLUTE ${h})
      get_filename_component(hn ${h} NAME)
      rc_layer_link(${h} ${inc}/rtcascade/${hn})
    else()
      rc_layer_link(${CMAKE_SOURCE_DIR}/sim/include/rtcascade/${h} ${inc}/rtcascade/${h})
    endif()
  endforeach()
  get_filename_component(folder_name ${L_FOLDER} NAME)
  rc_layer_link(${CMAKE_SOURCE_DIR}/${L_FOLDER} ${priv}/${folder_name})
  add_library(rc_${name} OBJECT ${L_SOURCES})
  target_include_directories(rc_${name} PUBLIC $<BUILD_INTERFACE:${inc}> PRIVATE ${priv})
  target_link_libraries(rc_${name} PUBLIC ${L_LAYERS} ${L_LIBS} PRIVATE ${L_PRIVATE_LIBS})
  set_target_properties(rc_${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  rc_set_warnings(rc_${name})
  set_property(GLOBAL APPEND PROPERTY RC_LAYERS rc_${name})
  set_property(GLOBAL APPEND PROPERTY RC_PUBLIC_HEADERS ${L_HEADERS})
endfunction()
