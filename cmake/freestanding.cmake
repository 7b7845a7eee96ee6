# Flags for code that runs on Parley rather than on the build machine.
#
# The machine's own gcc targets x86-64 already, so no cross compiler is
# needed: we switch off everything that assumes a hosted environment. The
# kernel additionally runs in the top 2 GiB of the address space
# (-mcmodel=kernel), must not use the red zone (interrupts push onto the
# stack below rsp) and must not touch SSE registers, which belong to user
# threads.
set(CMAKE_ASM_NASM_OBJECT_FORMAT elf64)

set(PARLEY_FREESTANDING_FLAGS
    -std=gnu17 -ffreestanding -fno-builtin -fno-stack-protector -fno-pic -fno-pie
    -fno-asynchronous-unwind-tables -fno-omit-frame-pointer
    -Wall -Wextra -Werror -O2 -g)

set(PARLEY_KERNEL_FLAGS
    ${PARLEY_FREESTANDING_FLAGS}
    -mno-red-zone -mno-mmx -mno-sse -mno-sse2 -mgeneral-regs-only -mcmodel=kernel)

# Applies the kernel's compile and link flags to an executable target.
function(parley_kernel_executable target linker_script)
    target_compile_options(${target} PRIVATE
        $<$<COMPILE_LANGUAGE:C>:${PARLEY_KERNEL_FLAGS}>)
    target_compile_definitions(${target} PRIVATE
        PARLEY_VERSION="${PROJECT_VERSION}")
    target_link_options(${target} PRIVATE
        -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,max-page-size=0x1000
        -Wl,-T,${linker_script} -Wl,-Map,${CMAKE_CURRENT_BINARY_DIR}/${target}.map)
    target_link_libraries(${target} PRIVATE gcc)
    set_target_properties(${target} PROPERTIES LINK_DEPENDS ${linker_script})
endfunction()
