# Flags and a helper for programs that run in Parley's user space.
#
# User programs are ordinary x86-64 C: unlike the kernel they may use SSE
# and the FPU, the red zone and the default code model. What they must not
# see is the build machine's C library, so -nostdinc removes every system
# include directory and puts back only gcc's own (for <stdint.h>,
# <stddef.h>, <stdarg.h>, <stdbool.h>, <limits.h>) and ours: lib/libc/include
# for the C library headers and lib/include for the <parley/...> ABI headers.
#
# Every program links against parley_c (lib/libc) and libgcc and is laid
# out by lib/libc/user.ld. parley_user_program() also records each program
# in the global property PARLEY_USER_PROGRAMS, from which the boot image is
# built.
include_guard(GLOBAL)

# gcc's private header directory, asked of the compiler in use so that the
# headers match it exactly.
execute_process(
    COMMAND ${CMAKE_C_COMPILER} -print-file-name=include
    OUTPUT_VARIABLE PARLEY_GCC_INCLUDE_DIR
    OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE gcc_include_result)
if(NOT gcc_include_result EQUAL 0 OR NOT IS_DIRECTORY "${PARLEY_GCC_INCLUDE_DIR}")
    message(FATAL_ERROR "cannot find the compiler's include directory "
                        "(${CMAKE_C_COMPILER} -print-file-name=include gave '${PARLEY_GCC_INCLUDE_DIR}')")
endif()

set(PARLEY_LIBC_INCLUDE_DIR ${PROJECT_SOURCE_DIR}/lib/libc/include)
set(PARLEY_ABI_INCLUDE_DIR ${PROJECT_SOURCE_DIR}/lib/include)
set(PARLEY_USER_LINKER_SCRIPT ${PROJECT_SOURCE_DIR}/lib/libc/user.ld)

# "SHELL:" keeps each -isystem next to its directory: CMake would otherwise
# merge the repeated "-isystem" words of a plain list into one.
set(PARLEY_USER_FLAGS
    -std=gnu17 -ffreestanding -fno-stack-protector -fno-pic -fno-pie -O2 -g
    -Wall -Wextra -Werror -nostdinc
    "SHELL:-isystem ${PARLEY_GCC_INCLUDE_DIR}"
    "SHELL:-isystem ${PARLEY_LIBC_INCLUDE_DIR}"
    "SHELL:-isystem ${PARLEY_ABI_INCLUDE_DIR}")

# parley_user_program(<name> SOURCES <src>...) builds the static executable
# ${CMAKE_BINARY_DIR}/bin/<name> from the given sources. (Not programs/<name>:
# that is already the build directory of the source folder programs/<name>.)
function(parley_user_program name)
    cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES")
    if(NOT arg_SOURCES)
        message(FATAL_ERROR "parley_user_program(${name}): no SOURCES given")
    endif()
    if(arg_UNPARSED_ARGUMENTS)
        message(FATAL_ERROR "parley_user_program(${name}): unexpected ${arg_UNPARSED_ARGUMENTS}")
    endif()

    add_executable(${name} ${arg_SOURCES})
    target_compile_options(${name} PRIVATE $<$<COMPILE_LANGUAGE:C>:${PARLEY_USER_FLAGS}>)
    target_link_options(${name} PRIVATE
        -nostdlib -static -no-pie
        -Wl,-T,${PARLEY_USER_LINKER_SCRIPT}
        -Wl,--build-id=none -Wl,-z,max-page-size=0x1000)
    # libgcc comes after the C library, which uses its 128-bit division.
    target_link_libraries(${name} PRIVATE parley_c gcc)
    set_target_properties(${name} PROPERTIES
        RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin
        LINK_DEPENDS ${PARLEY_USER_LINKER_SCRIPT})
    set_property(GLOBAL APPEND PROPERTY PARLEY_USER_PROGRAMS ${name})
endfunction()
