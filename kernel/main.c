/*
 * kernel_main: the order in which the kernel brings the machine up.
 *
 * entry.asm arrives here in long mode on the boot page tables with
 * interrupts off. The banner goes out first, so a person sees within a
 * second that Parley started; then the CPU tables, memory, the heap and
 * the timer, in dependency order.
 */
#include <stdint.h>

#include <parley/errors.h>

#include "arch/cpu.h"
#include "arch/gdt.h"
#include "arch/idt.h"
#include "arch/ioapic.h"
#include "arch/lapic.h"
#include "arch/percpu.h"
#include "arch/pic.h"
#include "arch/serial.h"
#include "arch/tsc.h"
#include "arch/vga.h"
#include "boot/multiboot2.h"
#include "ipc/caps.h"
#include "ipc/hwcap.h"
#include "ipc/fastpath.h"
#include "ipc/trace.h"
#include "ktest.h"
#include "lib/cmdline.h"
#include "common/cpio.h"
#include "common/format.h"
#include "common/string.h"
#include "log.h"
#include "mm/aspace.h"
#include "mm/frame.h"
#include "mm/frame_boot.h"
#include "mm/heap.h"
#include "mm/vm.h"
#include "panic.h"
#include "proc/process.h"
#include "sched/sched.h"
#include "random.h"
#include "timepage.h"
#include "timer.h"

#define BOOT_INFO_MAX (64u * 1024u)

static struct boot_info boot_info;

static void banner(uint64_t entry_tsc)
{
    char text[80];
    int n = ksnprintf(text, sizeof(text), " Parley %s  - a message-passing microkernel",
                      PARLEY_VERSION);
    vga_clear(VGA_NORMAL);
    vga_write(text, (size_t)n, VGA_BANNER);
    for (int i = n; i < VGA_COLS; i++)
        vga_write(" ", 1, VGA_BANNER);
    log_set_screen_level(LOG_PANIC + 1); /* the banner line is drawn above, not logged twice */
    log_info("Parley %s (x86-64 microkernel)", PARLEY_VERSION);
    log_set_screen_level(LOG_INFO);
    log_info("boot: tsc entry->banner=%lu (entry at tsc=%lu)", rdtsc() - entry_tsc, entry_tsc);
}

/* The heap's page source: contiguous frames, reached through the direct map. */
static void *heap_pages_alloc(size_t count)
{
    uint64_t phys = count == 1 ? frame_alloc() : frame_alloc_contig(count, UINT64_MAX);
    return phys == 0 ? NULL : phys_to_virt(phys);
}

static void heap_pages_free(void *pages, size_t count)
{
    if (frame_free_contig(virt_to_phys(pages), count) != 0)
        panic("heap: returned pages at %p that were not allocated", pages);
}

void heap_corrupt(const char *why, void *ptr)
{
    panic("heap: %s (pointer %p)", why, ptr);
}

static void read_boot_info(uint32_t magic, uint32_t info_phys)
{
    if (magic != MULTIBOOT2_LOADER_MAGIC)
        panic("boot: bad multiboot2 magic 0x%x", magic);
    const void *info = phys_to_virt(info_phys);
    uint32_t size = *(const uint32_t *)info;
    if (size > BOOT_INFO_MAX || multiboot2_parse(info, size, &boot_info) < 0)
        panic("boot: malformed multiboot2 information at 0x%x", info_phys);
    log_info("boot: command line \"%s\", %zu memory regions, %zu modules", boot_info.cmdline,
             boot_info.region_count, boot_info.module_count);
}

/*
 * Starts init, the first user process, from bin/init in the boot image.
 * Its arguments are the kernel command line's words; it finds the boot
 * image itself (mapped read-only) through BOOT_IMAGE=address,size.
 */
static void start_init(void)
{
    const struct boot_module *image = NULL;
    for (size_t i = 0; i < boot_info.module_count; i++)
        if (strcmp(boot_info.modules[i].name, "bootimage") == 0)
            image = &boot_info.modules[i];
    if (image == NULL) {
        log_warn("boot: no boot image module, so no user space");
        return;
    }
    const void *archive = phys_to_virt(image->start);
    size_t archive_size = image->end - image->start;
    struct cpio_entry init;
    if (cpio_find(archive, archive_size, "bin/init", &init) < 0)
        panic("boot: bin/init is not in the boot image");

    static char args[BOOT_CMDLINE_MAX + 8];
    size_t length = (size_t)ksnprintf(args, sizeof(args), "init %s", boot_info.cmdline) + 1;
    for (size_t i = 0; i < length; i++)
        if (args[i] == ' ')
            args[i] = '\0';
    char env[64];
    size_t env_length = (size_t)ksnprintf(env, sizeof(env), "BOOT_IMAGE=0x%llx,%zu",
                                          USER_BOOT_IMAGE, archive_size) +
                        1;

    struct image_source source = {.kernel_data = init.data, .size = init.size};
    long pid = process_spawn(&source, args, length, env, env_length, NULL, false);
    if (pid < 0)
        panic("boot: cannot start init: %s", error_string((int)pid));
    struct process *p = process_find((uint32_t)pid);
    caps_give_root(p);
    /* From here on the screen belongs to user space (the console server). */
    log_set_screen_level(LOG_PANIC + 1);
    uint64_t first = image->start & ~(PAGE_SIZE - 1);
    if (aspace_add_area(p->aspace, USER_BOOT_IMAGE,
                        USER_BOOT_IMAGE + ((image->end - first + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1)),
                        AREA_READ | AREA_SHARED) < 0)
        panic("boot: cannot map the boot image into init");
    for (uint64_t phys = first; phys < image->end; phys += PAGE_SIZE)
        aspace_map(p->aspace, USER_BOOT_IMAGE + (phys - first), phys, AREA_READ | AREA_SHARED);
}

void kernel_main(uint32_t magic, uint32_t info_phys, uint64_t entry_tsc)
{
    serial_init();
    tsc_set_boot(entry_tsc);
    banner(entry_tsc);

    gdt_init();
    idt_init();
    read_boot_info(magic, info_phys);
    ktest_configure(boot_info.cmdline);
    if (cmdline_has_value(boot_info.cmdline, "trace", "ipc")) {
        ipc_trace_set_all(true);
        log_info("ipc: trace on from the command line");
    }
    if (cmdline_has_value(boot_info.cmdline, "ipc", "slow")) {
        fastpath_set_enabled(false);
        log_info("ipc: fast path off from the command line");
    }

    tsc_calibrate();
    log_info("tsc: %lu kHz", tsc_hz() / 1000);

    uint64_t max_phys = frame_boot_init(&boot_info);
    vm_init(max_phys);
    heap_init(heap_pages_alloc, heap_pages_free);

    percpu_init();
    thread_fpu_init();
    sched_init();
    timepage_init();
    random_init();
    pic_disable();
    lapic_init();
    ioapic_init();
    hwcap_init();
    timer_init();

    ktest_run();
    start_init();

    /* The boot context is now the idle thread: it runs when nothing else can. */
    for (;;)
        cpu_wait_for_interrupt();
}
