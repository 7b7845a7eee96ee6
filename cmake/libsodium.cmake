# libsodium's source, fetched from Debian at build time.
#
# Parley commits no third-party code (docs/passwords.md). libsodium comes
# from Debian's source archive: tools/fetch-source unpacks the source
# package `libsodium` into build/third_party/libsodium, using deb-src
# entries derived from the machine's own apt sources. That happens at
# build time, when the first target that needs it is built, so configuring
# needs no network; once fetched, it is never fetched again (delete
# build/third_party to start over).
#
# After include(), LIBSODIUM_SOURCE_DIR is where the unpacked tree will be
# (a symlink to the versioned directory) and the target libsodium_source
# fetches it. A target compiling files from it depends on that target;
# the files themselves are marked GENERATED, since at configure time they
# may not exist yet.
include_guard(GLOBAL)

set(PARLEY_THIRD_PARTY_DIR ${CMAKE_BINARY_DIR}/third_party)
set(LIBSODIUM_SOURCE_DIR ${PARLEY_THIRD_PARTY_DIR}/libsodium)
set(libsodium_stamp ${PARLEY_THIRD_PARTY_DIR}/libsodium.fetched)

# The stamp, not the sources, is the command's output: `make clean` then
# removes only the stamp, and the next build's fetch-source sees the tree
# is there and does nothing.
add_custom_command(
    OUTPUT ${libsodium_stamp}
    COMMAND ${PROJECT_SOURCE_DIR}/tools/fetch-source libsodium ${PARLEY_THIRD_PARTY_DIR}
    COMMAND ${CMAKE_COMMAND} -E touch ${libsodium_stamp}
    DEPENDS ${PROJECT_SOURCE_DIR}/tools/fetch-source
    COMMENT "Fetching libsodium's source from Debian"
    VERBATIM)
add_custom_target(libsodium_source DEPENDS ${libsodium_stamp})
