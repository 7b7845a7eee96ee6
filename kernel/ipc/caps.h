/*
 * The root capabilities the kernel hands to init at boot, and nobody
 * else: init passes narrower ones on to the services that need them.
 */
#ifndef IPC_CAPS_H
#define IPC_CAPS_H

struct process;

/* Installs init's initial handles (see docs/ipc.md, "init's handles"). */
void caps_give_root(struct process *init);

#endif
