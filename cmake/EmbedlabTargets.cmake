# Helpers that give every embedlab layer the same shape: one library target per folder,
# an embedlab:: alias, the repository root as include root, and install rules.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# Flags shared by every target of the project (libraries, tests, tutorials, benchmarks).
add_library(embedlab_build_flags INTERFACE)
target_compile_options(embedlab_build_flags INTERFACE -Wall -Wextra -Wpedantic -Wshadow)
# embedlab never reads errno, and without this flag GCC keeps every std::sqrt in a loop scalar
# (it must set errno for negative inputs): Adam's update loop then cannot vectorise.
target_compile_options(embedlab_build_flags INTERFACE -fno-math-errno)
if(EMBEDLAB_WERROR)
  target_compile_options(embedlab_build_flags INTERFACE -Werror)
endif()
if(EMBEDLAB_NATIVE)
  # -march=native lets the compiler use the machine's widest vectors (AVX2 + FMA here) in the
  # plain loops of the kernels; without it GCC stays with SSE2.
  target_compile_options(embedlab_build_flags INTERFACE -march=native)
endif()
if(EMBEDLAB_SANITIZE)
  target_compile_options(embedlab_build_flags INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(embedlab_build_flags INTERFACE -fsanitize=address,undefined)
endif()
install(TARGETS embedlab_build_flags EXPORT embedlabTargets)

# EMBEDLAB_QUICK_COMPILE (the tour preset): the chapters, option parsing, file formats, pictures
# and the small layers run for a moment in a tour, so they are compiled at -Og, which GCC does
# much faster than -O2 (the whole tour build took 73 s of CPU at -Og against 97 s at -O1) and
# which keeps them easy to step through; the training kernels (autograd's row gradients, the
# word2vec ops) keep the build type's -O2, as word2vec's training is most of the tour's run
# time. The flag comes after CMAKE_CXX_FLAGS_<CONFIG> on the command line, so it wins.
set(embedlab_kernel_layers autograd word2vec)
function(embedlab_compile_quickly target)
  if(EMBEDLAB_QUICK_COMPILE)
    target_compile_options(${target} PRIVATE -Og)
  endif()
endfunction()

# embedlab_add_library(<layer> SOURCES <cpp...> HEADERS <h...> DEPS <targets...>)
# creates embedlab_<layer> with alias embedlab::<layer>.
function(embedlab_add_library layer)
  cmake_parse_arguments(ARG "" "" "SOURCES;HEADERS;DEPS" ${ARGN})
  set(target embedlab_${layer})
  add_library(${target} STATIC ${ARG_SOURCES} ${ARG_HEADERS})
  add_library(embedlab::${layer} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${layer} POSITION_INDEPENDENT_CODE ON)
  target_include_directories(${target} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/embedlab>)
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_link_libraries(${target} PUBLIC ${ARG_DEPS} PRIVATE $<BUILD_INTERFACE:embedlab_build_flags>)
  if(NOT layer IN_LIST embedlab_kernel_layers)
    embedlab_compile_quickly(${target})
  endif()
  if(EMBEDLAB_PRECOMPILED_HEADERS)
    # The standard headers and fmt, parsed once for every library instead of once per source
    # (they were most of a release build's time). Off in the debug preset, so a source that
    # forgets one of these includes still fails to compile there.
    if(layer STREQUAL "tensor")
      target_precompile_headers(${target} PRIVATE <algorithm> <cmath> <cstdint> <functional>
        <memory> <span> <string> <string_view> <utility> <vector> <fmt/format.h>)
    else()
      target_precompile_headers(${target} REUSE_FROM embedlab_tensor)
    endif()
  endif()
  install(TARGETS ${target} EXPORT embedlabTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(FILES ${ARG_HEADERS} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/embedlab/${layer})
endfunction()

# embedlab_add_program(<name> <sources...>): a program linked to the whole framework.
function(embedlab_add_program name)
  add_executable(${name} ${ARGN})
  target_link_libraries(${name} PRIVATE embedlab::embedlab embedlab_build_flags)
  embedlab_compile_quickly(${name})
endfunction()

# Writes embedlabConfig.cmake so that other projects can find_package(embedlab).
function(embedlab_install_package)
  set(cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/embedlab)
  install(EXPORT embedlabTargets NAMESPACE embedlab:: DESTINATION ${cmake_dir})
  configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/embedlabConfig.cmake.in
    ${PROJECT_BINARY_DIR}/embedlabConfig.cmake INSTALL_DESTINATION ${cmake_dir})
  write_basic_package_version_file(${PROJECT_BINARY_DIR}/embedlabConfigVersion.cmake
    COMPATIBILITY SameMinorVersion)
  install(FILES ${PROJECT_BINARY_DIR}/embedlabConfig.cmake
    ${PROJECT_BINARY_DIR}/embedlabConfigVersion.cmake DESTINATION ${cmake_dir})
endfunction()
