# Host tests of the user C library (lib/libc).
#
# The libc sources define the C library's own names (malloc, strtol, ...),
# which on the host would replace or clash with the real C library's. So
# each libc source is compiled here the way it is for Parley (freestanding,
# against lib/libc/include and gcc's headers only) but with every name in
# LIBC_NAMES renamed libc_<name>. A test includes the generated libc_host.h,
# which declares the renamed functions from lib/libc's own headers and then
# drops the renames, so it can call Parley's strtol as libc_strtol beside
# the host's strtol. Both sides come from this one list and cannot drift.
include(${PROJECT_SOURCE_DIR}/cmake/user.cmake)

# Every function the host-built sources below define. (printf, puts, exit
# and the rest of stdout.c and exit.c are not built here, so keep their
# names; their declarations in lib/libc's headers match the host's.)
set(LIBC_NAMES
    # <string.h> beyond lib/common/string.c (the host's serve those)
    memchr strcpy strncpy strcat strrchr strstr strspn strcspn strdup strerror
    # <stdio.h> (the stream names too: Parley's FILE is not the host's)
    snprintf vsnprintf
    FILE stdin stdout stderr fputc putc fputs fprintf vfprintf fwrite fflush fgetc getc fgets fread
    feof ferror clearerr stdio_redirect
    # <stdlib.h>
    malloc calloc realloc free atoi strtol strtoul strtoll strtoull abs labs qsort bsearch
    # <ctype.h>
    isdigit isalpha isalnum isspace isupper islower isxdigit isprint ispunct
    iscntrl toupper tolower)

# The libc sources that run on the host (sys.c, stdout.c and exit.c make
# system calls and are left out).
set(LIBC_HOST_SOURCES ctype.c malloc.c qsort.c stdio.c stdlib.c string_extra.c)

set(libc_defines)
set(LIBC_RENAME_DEFINES "")
set(LIBC_RENAME_UNDEFS "")
foreach(name IN LISTS LIBC_NAMES)
    list(APPEND libc_defines ${name}=libc_${name})
    string(APPEND LIBC_RENAME_DEFINES "#define ${name} libc_${name}\n")
    string(APPEND LIBC_RENAME_UNDEFS "#undef ${name}\n")
endforeach()
configure_file(${CMAKE_CURRENT_SOURCE_DIR}/libc_host.h.in
               ${CMAKE_CURRENT_BINARY_DIR}/libc_host.h @ONLY)

# Source-file options take no "SHELL:", hence the joined -isystem<dir> form.
set(libc_host_options -ffreestanding -nostdinc -isystem${PARLEY_GCC_INCLUDE_DIR}
    -isystem${PARLEY_LIBC_INCLUDE_DIR} -isystem${PARLEY_ABI_INCLUDE_DIR})
foreach(src IN LISTS LIBC_HOST_SOURCES)
    set_source_files_properties(${PROJECT_SOURCE_DIR}/lib/libc/${src} PROPERTIES
        COMPILE_DEFINITIONS "${libc_defines}"
        COMPILE_OPTIONS "${libc_host_options}")
endforeach()

# parley_libc_test(<name> <sources>...): parley_unit_test plus libc_host.h.
function(parley_libc_test name)
    parley_unit_test(${name} ${ARGN})
    target_include_directories(${name} PRIVATE ${CMAKE_CURRENT_BINARY_DIR})
endfunction()

parley_libc_test(libc_malloc_test lib/libc/malloc.c tests/unit/libc_arena.c)
parley_libc_test(libc_strtol_test lib/libc/stdlib.c lib/libc/ctype.c)
parley_libc_test(libc_qsort_test lib/libc/qsort.c)
parley_libc_test(libc_ctype_test lib/libc/ctype.c)
parley_libc_test(libc_stdio_test lib/libc/stdio.c lib/common/format.c)
parley_libc_test(libc_string_test lib/libc/string_extra.c lib/libc/malloc.c tests/unit/libc_arena.c)
