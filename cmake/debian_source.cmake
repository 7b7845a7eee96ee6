# Third-party C libraries, fetched from Debian's source archive at build time.
#
# Parley commits no third-party code (docs/building.md). A library comes
# from Debian's source package: tools/fetch-source unpacks it into
# build/third_party/PACKAGE, using deb-src entries derived from the
# machine's own apt sources. That happens at build time, when the first
# target that needs it is built, so configuring needs no network; once
# fetched, it is never fetched again (delete build/third_party to start
# over).
#
# parley_debian_source(PACKAGE DIR_VARIABLE) sets DIR_VARIABLE to where
# the unpacked tree will be (a symlink to the versioned directory) and
# makes the target PACKAGE_source that fetches it. A target compiling
# files from it depends on that target; the files themselves are marked
# GENERATED, since at configure time they may not exist yet. Used for
# libsodium (lib/sodium) and lwIP (servers/net).
include_guard(GLOBAL)

function(parley_debian_source package dir_variable)
    set(third_party ${CMAKE_BINARY_DIR}/third_party)
    set(${dir_variable} ${third_party}/${package} PARENT_SCOPE)
    set(stamp ${third_party}/${package}.fetched)
    # The stamp, not the sources, is the command's output: `make clean`
    # then removes only the stamp, and the next build's fetch-source sees
    # the tree is there and does nothing.
    add_custom_command(
        OUTPUT ${stamp}
        COMMAND ${PROJECT_SOURCE_DIR}/tools/fetch-source ${package} ${third_party}
        COMMAND ${CMAKE_COMMAND} -E touch ${stamp}
        DEPENDS ${PROJECT_SOURCE_DIR}/tools/fetch-source
        COMMENT "Fetching ${package}'s source from Debian"
        VERBATIM)
    add_custom_target(${package}_source DEPENDS ${stamp})
endfunction()
