/*
 * Services: the long-running servers and drivers described in
 * etc/services of the boot image, started in dependency order. init keeps
 * each description after starting it, so that a service that ends can be
 * reported and, later, started again with the same wiring.
 */
#ifndef INIT_SERVICES_H
#define INIT_SERVICES_H

#include "wire.h"

#define SERVICE_MAX 16

struct service {
    char name[32];
    char program[64];
    char wires[WIRE_MAX][WIRE_TEXT_MAX];
    int wire_count;
    long pid; /* 0 until started; negative if it could not be */
};

/* Parses the description text; returns the number of services or a negative error. */
int services_parse(const char *text, size_t length, struct service *out, int max);

/* Starts every service so that each starts after the ones serving the endpoints it uses. */
void services_start(const struct boot_image *image, struct service *services, int count);

/* The service with this pid, or NULL. */
struct service *services_find(struct service *services, int count, long pid);

#endif
