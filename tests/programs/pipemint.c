/*
 * What a user's shell may do with its handle to the pipe service
 * (docs/security.md): make pipes, never forge an end. login's handle
 * carries PIPE_BADGE_MAKER (the shell's is a session handle made through
 * it, badged too), so a badge naming somebody else's pipe end cannot be
 * minted from it. Run wired as
 * login is (run=pipemint@use:pipe#0x80000000, handle 1). Exits 0 when
 * minting is refused and a pipe can still be made and used.
 */
#include <parley/errors.h>
#include <parley/ipc_lib.h>
#include <parley/pipe.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    const char *named = getenv("PIPE_HANDLE");
    uint32_t service = named != NULL ? (uint32_t)strtoul(named, NULL, 10) : 1;
    long forged = handle_mint(service, RIGHT_SEND, 1); /* would be pipe end slot 0 */
    uint32_t ends[2];
    long made = pipe_create(service, ends);
    long wrote = made == 0 ? pipe_write(ends[1], "ok", 2) : made;
    char buf[2];
    long read = made == 0 ? pipe_read(ends[0], buf, sizeof(buf)) : made;
    printf("pipemint: mint %s, create %s, round trip %ld\n",
           forged < 0 ? error_string((int)forged) : "allowed", error_string((int)made), read);
    return forged == -E_PERM && made == 0 && wrote == 2 && read == 2 ? 0 : 1;
}
