/*
 * Wiring: turning a program's description ("console serve:console
 * phys:0xb8000:0x1000 ...") into the handles it starts with, and
 * starting it from the boot image. Used for services (services.c) and for
 * the programs named by run= (main.c).
 */
#ifndef INIT_WIRE_H
#define INIT_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define WIRE_MAX 8
#define WIRE_TEXT_MAX 48
#define WIRE_ARGS_MAX 8 /* NAME.KEY=VALUE options passed to one program */

struct boot_image {
    const void *data;
    size_t size;
};

/*
 * A named endpoint. init keeps one handle with every right to each; a
 * temporary one (created for a run= round) is closed when the round has
 * started, so its server sees -E_CLOSED when its last client is gone.
 */
struct wire_endpoint {
    char name[16];
    uint32_t handle;
    int temporary;
};

/* Finds or creates endpoint `name` (length bytes); returns its handle or an error. */
long wire_endpoint(const char *name, size_t length, int temporary);

/* Closes the temporary endpoints. */
void wire_close_temporary(void);

/*
 * Keeps init's arguments (the kernel command line): a word NAME.KEY=VALUE
 * is passed to program NAME as the argument KEY=VALUE, e.g. net.dns=10.0.2.2:53
 * reaches the TCP/IP server as dns=10.0.2.2:53.
 */
void wire_set_options(int argc, char **argv);

/*
 * Starts `program` (a path in the boot image, e.g. bin/console) as
 * process `name` with one handle per wire, in order. Returns the pid or a
 * negative error; either way it logs what it did.
 */
long wire_start(const struct boot_image *image, const char *name, const char *program,
                char wires[][WIRE_TEXT_MAX], int wire_count, int temporary);

/* Is `wire` a "serve:EP" or "use:EP[#badge]" wire for endpoint `ep`? */
int wire_serves(const char *wire, const char *ep);
int wire_uses(const char *wire, const char *ep);

#endif
