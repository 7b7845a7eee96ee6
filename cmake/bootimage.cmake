# The boot image: a cpio archive of every user program (bin/<name>),
# init's service description (etc/services), the login greeting
# (etc/motd), the gopher start page (etc/gopher) and the default accounts
# (etc/passwd, etc/shadow) that GRUB loads as the multiboot2 module
# "bootimage". The kernel starts bin/init from it; init starts everything
# else.
#
# Call parley_add_boot_image() after every parley_user_program(): it reads
# the global PARLEY_USER_PROGRAMS list those calls build up.
find_package(Python3 REQUIRED COMPONENTS Interpreter)

function(parley_add_boot_image output)
    get_property(programs GLOBAL PROPERTY PARLEY_USER_PROGRAMS)
    set(entries)
    set(depends)
    # Programs go in without their debug information (build/bin keeps it for
    # gdb): a smaller image is a faster boot, since GRUB reads it through the BIOS.
    set(stripped_dir ${CMAKE_BINARY_DIR}/bootimage-bin)
    foreach(program IN LISTS programs)
        set(stripped ${stripped_dir}/${program})
        add_custom_command(
            OUTPUT ${stripped}
            COMMAND ${CMAKE_COMMAND} -E make_directory ${stripped_dir}
            COMMAND ${CMAKE_OBJCOPY} --strip-debug $<TARGET_FILE:${program}> ${stripped}
            DEPENDS ${program}
            VERBATIM)
        list(APPEND entries bin/${program}=${stripped})
        list(APPEND depends ${stripped})
    endforeach()
    # A deliberately broken executable (a real one cut short) for the
    # loader's tests: the system must refuse it and carry on.
    set(broken ${CMAKE_BINARY_DIR}/test-badelf)
    add_custom_command(
        OUTPUT ${broken}
        COMMAND ${Python3_EXECUTABLE} -c
                "import sys; d = open(sys.argv[1], 'rb').read(); open(sys.argv[2], 'wb').write(d[:300])"
                $<TARGET_FILE:true> ${broken}
        DEPENDS true
        COMMENT "Making the truncated test executable"
        VERBATIM)
    list(APPEND entries bin/test-badelf=${broken})
    list(APPEND entries etc/services=${PROJECT_SOURCE_DIR}/init/services)
    list(APPEND entries etc/motd=${PROJECT_SOURCE_DIR}/init/motd)
    list(APPEND entries etc/gopher=${PROJECT_SOURCE_DIR}/init/gopher)
    # The default accounts, with password hashes made by Debian's argon2
    # tool at the cost set in <parley/passwords.h> and new salts on every
    # run (docs/passwords.md). The target `accounts` lets programs built
    # elsewhere (tests/programs/pwtest) read build/shadow.
    set(passwd ${CMAKE_BINARY_DIR}/passwd)
    set(shadow ${CMAKE_BINARY_DIR}/shadow)
    set(password_params ${PROJECT_SOURCE_DIR}/lib/sodium/include/parley/passwords.h)
    add_custom_command(
        OUTPUT ${passwd} ${shadow}
        COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tools/mkaccounts
                --params ${password_params} --passwd ${passwd} --shadow ${shadow}
        DEPENDS ${PROJECT_SOURCE_DIR}/tools/mkaccounts ${password_params}
        COMMENT "Hashing the default accounts' passwords"
        VERBATIM)
    add_custom_target(accounts DEPENDS ${passwd} ${shadow})
    list(APPEND entries etc/passwd=${passwd} etc/shadow=${shadow})
    add_custom_command(
        OUTPUT ${output}
        COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tools/mkbootimage.py -o ${output}
                ${entries}
        DEPENDS ${depends} ${broken} ${PROJECT_SOURCE_DIR}/tools/mkbootimage.py
                ${PROJECT_SOURCE_DIR}/init/services ${PROJECT_SOURCE_DIR}/init/motd ${passwd} ${shadow}
        COMMENT "Packing the boot image"
        VERBATIM)
    add_custom_target(bootimage DEPENDS ${output})
endfunction()
