# Host tests of the ELF parser and the boot-image (cpio) reader.
#
# elf.c and cpio.c call memcpy, memcmp and friends through
# common/string.h, whose prototypes match the C library's, so on the host
# they simply link against libc's versions; lib/common/string.c is not
# compiled in (string_test covers it).

parley_unit_test(elf_test kernel/proc/elf.c)

# cpio_test reads two archives made at build time from one small tree of
# files: one by tools/mkbootimage.py and, if the host has it, one by the
# real cpio tool. The tree is written at configure time; file(CONFIGURE)
# leaves unchanged files alone, so the archives are not rebuilt needlessly.
# File sizes 0, 1, 14 and 5003 cover every padding remainder.
set(CPIO_FIXTURES ${CMAKE_CURRENT_BINARY_DIR}/cpio_fixtures)
set(cpio_tree ${CPIO_FIXTURES}/tree)
string(REPEAT "0123456789abcdef" 313 cpio_big)
string(SUBSTRING "${cpio_big}" 0 5003 cpio_big)
file(CONFIGURE OUTPUT ${cpio_tree}/bin/empty CONTENT "")
file(CONFIGURE OUTPUT ${cpio_tree}/bin/hello CONTENT "hello, parley\n")
file(CONFIGURE OUTPUT ${cpio_tree}/etc/motd CONTENT "!")
file(CONFIGURE OUTPUT ${cpio_tree}/lib/data/big.bin CONTENT "${cpio_big}")
set(cpio_names bin/empty bin/hello etc/motd lib/data/big.bin)

find_package(Python3 REQUIRED COMPONENTS Interpreter)
set(MKBOOTIMAGE ${PROJECT_SOURCE_DIR}/tools/mkbootimage.py)
set(cpio_args "")
set(cpio_files "")
foreach(name IN LISTS cpio_names)
    list(APPEND cpio_args ${name}=${cpio_tree}/${name})
    list(APPEND cpio_files ${cpio_tree}/${name})
endforeach()
set(cpio_args_reversed ${cpio_args})
list(REVERSE cpio_args_reversed)

add_custom_command(OUTPUT ${CPIO_FIXTURES}/mkbootimage.cpio
    COMMAND ${Python3_EXECUTABLE} ${MKBOOTIMAGE} -o ${CPIO_FIXTURES}/mkbootimage.cpio ${cpio_args}
    DEPENDS ${MKBOOTIMAGE} ${cpio_files}
    COMMENT "Writing the cpio_test archive with mkbootimage.py"
    VERBATIM)
# The same inputs in the opposite order must give the same bytes.
add_custom_command(OUTPUT ${CPIO_FIXTURES}/mkbootimage-reversed.cpio
    COMMAND ${Python3_EXECUTABLE} ${MKBOOTIMAGE} -o ${CPIO_FIXTURES}/mkbootimage-reversed.cpio
            ${cpio_args_reversed}
    DEPENDS ${MKBOOTIMAGE} ${cpio_files}
    VERBATIM)
set(cpio_archives ${CPIO_FIXTURES}/mkbootimage.cpio ${CPIO_FIXTURES}/mkbootimage-reversed.cpio)

find_program(CPIO_TOOL cpio)
if(CPIO_TOOL)
    set(cpio_tool_found 1)
    set(cpio_list bin bin/empty bin/hello etc etc/motd lib lib/data lib/data/big.bin)
    list(JOIN cpio_list "\n" cpio_list)
    file(CONFIGURE OUTPUT ${CPIO_FIXTURES}/tool.list CONTENT "${cpio_list}\n")
    add_custom_command(OUTPUT ${CPIO_FIXTURES}/tool.cpio
        # /bin/sh, not sh: Parley's shell is a CMake target named sh, and a
        # bare target name in a test's command runs that target.
        COMMAND /bin/sh -c "exec \"$0\" --quiet -o -H newc -F \"$1\" < \"$2\""
                ${CPIO_TOOL} ${CPIO_FIXTURES}/tool.cpio ${CPIO_FIXTURES}/tool.list
        WORKING_DIRECTORY ${cpio_tree}
        DEPENDS ${cpio_files} ${CPIO_FIXTURES}/tool.list
        COMMENT "Writing the cpio_test archive with cpio"
        VERBATIM)
    list(APPEND cpio_archives ${CPIO_FIXTURES}/tool.cpio)
else()
    set(cpio_tool_found 0)
    message(STATUS "cpio not found: cpio_test will not read an archive made by cpio")
endif()
add_custom_target(parley_cpio_fixtures DEPENDS ${cpio_archives})

parley_unit_test(cpio_test lib/common/cpio.c)
add_dependencies(cpio_test parley_cpio_fixtures)
target_compile_definitions(cpio_test PRIVATE
    CPIO_FIXTURE_DIR="${CPIO_FIXTURES}" CPIO_TOOL_ARCHIVE=${cpio_tool_found})

add_test(NAME unit.mkbootimage_reproducible
    COMMAND ${CMAKE_COMMAND} -E compare_files
            ${CPIO_FIXTURES}/mkbootimage.cpio ${CPIO_FIXTURES}/mkbootimage-reversed.cpio)
# A missing input must fail the run, and say which file is missing.
add_test(NAME unit.mkbootimage_missing_input
    COMMAND ${Python3_EXECUTABLE} ${MKBOOTIMAGE} -o ${CPIO_FIXTURES}/never.cpio
            bin/init=${CPIO_FIXTURES}/no-such-file)
set_tests_properties(unit.mkbootimage_missing_input PROPERTIES WILL_FAIL TRUE)
add_test(NAME unit.mkbootimage_missing_message
    COMMAND ${Python3_EXECUTABLE} ${MKBOOTIMAGE} -o ${CPIO_FIXTURES}/never.cpio
            bin/init=${CPIO_FIXTURES}/no-such-file)
set_tests_properties(unit.mkbootimage_missing_message PROPERTIES
    PASS_REGULAR_EXPRESSION "bin/init: input file .*/no-such-file does not exist")
