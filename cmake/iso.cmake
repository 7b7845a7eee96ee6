# Builds the bootable ISO with grub-mkrescue.
#
# The staging tree build/iso/ holds boot/grub/grub.cfg, the kernel and the
# boot image; the test harness copies it to make ISOs with extra kernel command-line words.
find_program(GRUB_MKRESCUE grub-mkrescue REQUIRED)
find_program(XORRISO xorriso REQUIRED)

function(parley_add_iso name kernel_target boot_image)
    set(stage ${CMAKE_BINARY_DIR}/iso)
    set(iso ${CMAKE_BINARY_DIR}/parley.iso)
    configure_file(${PROJECT_SOURCE_DIR}/tools/grub.cfg.in ${CMAKE_BINARY_DIR}/grub.cfg @ONLY)
    add_custom_command(
        OUTPUT ${iso}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${stage}/boot/grub
        COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_BINARY_DIR}/grub.cfg ${stage}/boot/grub/grub.cfg
        COMMAND ${CMAKE_COMMAND} -E copy $<TARGET_FILE:${kernel_target}> ${stage}/boot/parley.elf
        COMMAND ${CMAKE_COMMAND} -E copy ${boot_image} ${stage}/boot/bootimage.cpio
        COMMAND ${GRUB_MKRESCUE} -o ${iso} ${stage} > ${CMAKE_BINARY_DIR}/grub-mkrescue.log 2>&1
        DEPENDS ${kernel_target} ${boot_image} ${CMAKE_BINARY_DIR}/grub.cfg
        COMMENT "Making ${iso}")
    add_custom_target(${name} ALL DEPENDS ${iso})
endfunction()
