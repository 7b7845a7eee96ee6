/*
 * Filling the ramdisk at boot: the boot image's files and the directories
 * every account needs, with their owners (populate.c).
 */
#ifndef INIT_POPULATE_H
#define INIT_POPULATE_H

#include <stdint.h>

#include "wire.h"

/*
 * Copies every file and directory of the boot image into the file server
 * behind root (an unbadged handle: its root, every right), then makes
 * /tmp and a home directory for each account in etc/passwd, owned by it.
 * Returns 0 or the first error (it stops there).
 */
long populate_ramdisk(const struct boot_image *image, uint32_t root);

#endif
