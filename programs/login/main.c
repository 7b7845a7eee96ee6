/*
 * login: the "login:" prompt of one virtual console. It asks for a name
 * and a password, has the auth server check them, and starts the user's
 * shell with the process environment of docs/files-and-users.md; when the
 * shell ends it clears the console and asks again.
 *
 * Handles, as init wires them (use:console#N use:auth#1 use:vfs#1 trace
 * use:pipe):
 *   1  its console
 *   2  auth, badged as root: it may check passwords and mint auth handles
 *   3  the root namespace, from which it reads /etc/motd and the shell,
 *      and derives each user's namespace
 *   4  the trace capability, passed on to root's shell only
 *   5  the pipe service (optional): it makes a pipe session for each
 *      shell (PIPE_SESSION), so a user's pipes count against their share
 *
 * login runs as uid 0 (init's) and sets the shell's uid after starting
 * it. It never sees /etc/shadow: a wrong name and a wrong password come
 * back from auth as the same -E_PERM after the same delay, and login
 * prints the same "Login incorrect" for both.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/console.h>
#include <parley/errors.h>
#include <parley/file.h>
#include <parley/ipc_lib.h>
#include <parley/pipe.h>
#include <parley/sys.h>

#include "auth_client.h"

#define HANDLE_CONSOLE 1
#define HANDLE_AUTH 2
#define HANDLE_ROOT_NS 3
#define HANDLE_TRACE 4
#define HANDLE_PIPES 5 /* the pipe service (use:pipe), for the shell's pipes */
#define HANDLE_PCI 6   /* the PCI server (use:pci), which the shell passes to lspci */
#define SHELL_HANDLES 7

#define MOTD_MAX 4096
#define SHELL_DEFAULT "/bin/sh"
#define SHELL_STANDIN "/bin/welcome" /* used while there is no /bin/sh */

static char name[AUTH_NAME_MAX + 2];
static char password[AUTH_PASSWORD_MAX + 2];

static void say(const char *text)
{
    console_write(HANDLE_CONSOLE, text, strlen(text));
}

static void banner(void)
{
    struct console_info info = {0};
    console_info(HANDLE_CONSOLE, &info);
    console_printf(HANDLE_CONSOLE, "\x1b[2J\x1b[H\x1b[1mParley login\x1b[0m (console %u)\n\n",
                   info.number);
}

/*
 * Reads one line into buf; returns its length, or -E_INTR (Ctrl-C) or
 * -E_CLOSED (Ctrl-D). Exits if the console itself is gone, rather than
 * spin on a dead handle.
 */
static long read_line(const char *prompt, char *buf, size_t size, unsigned flags)
{
    static bool prompted;
    say(prompt);
    if (!prompted) {
        /* For the boot benchmark: the prompt is on the screen now (the write was a call). */
        printf("login: first prompt on screen at tsc=%lu\n", (unsigned long)rdtsc());
        prompted = true;
    }
    long n = console_read_line(HANDLE_CONSOLE, buf, size, flags);
    if (n == -E_CLOSED) {
        struct console_info info;
        if (console_info(HANDLE_CONSOLE, &info) < 0) {
            printf("login: console gone\n");
            exit(1);
        }
        say("\n");
    }
    return n;
}

static void show_motd(void)
{
    static char text[MOTD_MAX];
    long file = ns_open("/etc/motd", FS_RIGHT_READ);
    if (file < 0)
        return;
    long n = file_read((uint32_t)file, 0, text, sizeof(text));
    file_close((uint32_t)file);
    if (n > 0)
        console_write(HANDLE_CONSOLE, text, (size_t)n);
}

/*
 * The user's namespace: root's is the root namespace itself (a copy of
 * the handle); everyone else sees /bin and /etc/gopher read-only, their
 * home and /tmp read-write, and /net (the TCP/IP server, which refuses
 * them ports below 1024), nothing more.
 */
static long user_namespace(const struct auth_user *user)
{
    if (user->uid == 0)
        return handle_dup(HANDLE_ROOT_NS, RIGHT_SEND | RIGHT_DUPLICATE | RIGHT_TRANSFER);
    static char home[2 * AUTH_PATH_MAX + 8];
    snprintf(home, sizeof(home), "%s=%s:rw", user->home, user->home);
    const char *const mounts[] = {"/bin=/bin:ro", "/etc/gopher=/etc/gopher:ro", home,
                                  "/tmp=/tmp:rw", "/net=/net:rw"};
    return ns_derive_owned(mounts, sizeof(mounts) / sizeof(mounts[0]), user->uid);
}

/*
 * The handles the shell starts with, in order: the console twice, the
 * namespace, auth, trace (root only) and the pipe service when login has
 * one, then the PCI server when login has it. Returns how many, or an
 * error; *pipe_at and *pci_at are those two's numbers in the shell (0:
 * none), which the shell learns from PIPE_HANDLE and PCI_HANDLE.
 */
static long shell_handles(const struct auth_user *user, uint32_t handles[SHELL_HANDLES],
                          long *pipe_at, long *pci_at)
{
    const uint32_t share = RIGHT_SEND | RIGHT_DUPLICATE | RIGHT_TRANSFER;
    long h[SHELL_HANDLES];
    long count = 0, err = 0;
    h[count++] = handle_dup(HANDLE_CONSOLE, share);
    h[count++] = handle_dup(HANDLE_CONSOLE, share);
    h[count++] = user_namespace(user);
    h[count++] = auth_mint(HANDLE_AUTH, user->uid);
    for (long i = 0; i < count; i++)
        if (h[i] < 0 && err == 0)
            err = h[i];
    if (err == 0 && user->uid == 0) {
        /* The shell copies it to the programs it runs (trace), so it needs DUPLICATE. */
        long trace = handle_dup(HANDLE_TRACE, RIGHT_USE | RIGHT_TRANSFER | RIGHT_DUPLICATE);
        if (trace >= 0)
            h[count++] = trace;
        else
            printf("login: cannot pass the trace capability: %s\n", error_string((int)trace));
    }
    *pipe_at = 0;
    /* A session of its own at the pipe server: the user's pipes count against its share. */
    long pipes = err == 0 ? pipe_session(HANDLE_PIPES) : -E_INVAL;
    if (pipes >= 0) {
        h[count++] = pipes;
        *pipe_at = count;
    }
    *pci_at = 0;
    long pci = err == 0 ? handle_dup(HANDLE_PCI, share) : -E_INVAL;
    if (pci >= 0) {
        h[count++] = pci;
        *pci_at = count;
    }
    for (long i = 0; i < count; i++) {
        if (err < 0 && h[i] >= 0)
            handle_close((uint32_t)h[i]);
        handles[i] = h[i] >= 0 ? (uint32_t)h[i] : 0;
    }
    return err < 0 ? err : count;
}

/* Starts the user's shell and waits for it to end. */
static void run_shell(const char *user_name, const struct auth_user *user)
{
    uint32_t handles[SHELL_HANDLES];
    long pipe_at, pci_at;
    long count = shell_handles(user, handles, &pipe_at, &pci_at);
    if (count < 0) {
        console_printf(HANDLE_CONSOLE, "login: cannot set up your session: %s\n",
                       error_string((int)count));
        sys_sleep(2000000000ull);
        return;
    }
    char env_user[AUTH_NAME_MAX + 8], env_uid[24], env_home[AUTH_PATH_MAX + 8],
        env_pwd[AUTH_PATH_MAX + 8], env_pipe[24], env_pci[24];
    snprintf(env_user, sizeof(env_user), "USER=%s", user_name);
    snprintf(env_uid, sizeof(env_uid), "UID=%u", user->uid);
    snprintf(env_home, sizeof(env_home), "HOME=%s", user->home);
    snprintf(env_pwd, sizeof(env_pwd), "PWD=%s", user->home);
    snprintf(env_pipe, sizeof(env_pipe), "PIPE_HANDLE=%ld", pipe_at);
    snprintf(env_pci, sizeof(env_pci), "PCI_HANDLE=%ld", pci_at);
    const char *optional[2];
    int extra = 0;
    if (pipe_at > 0)
        optional[extra++] = env_pipe;
    if (pci_at > 0)
        optional[extra++] = env_pci;
    const char *const envp[] = {env_user,
                                env_uid,
                                env_home,
                                env_pwd,
                                "PATH=/bin",
                                "STDIN=console",
                                "STDOUT=console",
                                extra > 0 ? optional[0] : NULL,
                                extra > 1 ? optional[1] : NULL,
                                NULL};
    /* Keep a copy of a user's namespace, to drop it at the vfs when the session ends. */
    long ns_copy = user->uid != 0 ? handle_dup(handles[2], RIGHT_SEND) : -E_INVAL;
    const char *shell = user->shell[0] != '\0' ? user->shell : SHELL_DEFAULT;
    const char *argv[] = {path_basename(shell), NULL};
    /* The shell runs as the user from its first instruction. */
    /* ... and in a resource group of its own, so its programs share a session's limits. */
    uint64_t as_user = SPAWN_AS_UID(user->uid) | SPAWN_GROUP;
    long pid = spawn_path_flags(shell, argv, envp, handles, (uint32_t)count, as_user);
    if (pid == -E_NOENT && strcmp(shell, SHELL_DEFAULT) == 0) {
        printf("login: no %s yet; starting %s\n", SHELL_DEFAULT, SHELL_STANDIN);
        argv[0] = path_basename(SHELL_STANDIN);
        pid = spawn_path_flags(SHELL_STANDIN, argv, envp, handles, (uint32_t)count, as_user);
    }
    if (pid < 0) {
        for (long i = 0; i < count; i++) /* a failed spawn leaves them with us */
            handle_close(handles[i]);
        if (ns_copy >= 0)
            ns_close((uint32_t)ns_copy);
        console_printf(HANDLE_CONSOLE, "login: cannot start %s: %s\n", shell,
                       error_string((int)pid));
        sys_sleep(2000000000ull);
        return;
    }
    /* The session's handle: at logout it ends whatever the user left running. */
    long session = sys_proc_handle(pid);
    int status;
    sys_wait(pid, &status);
    printf("login: %s logged out (shell status %d)\n", user_name, status);
    if (session >= 0) {
        long ended = sys_proc_end((uint32_t)session, PROC_END_GROUP);
        if (ended > 0)
            printf("login: ended %ld program%s %s left running\n", ended, ended == 1 ? "" : "s",
                   user_name);
        handle_close((uint32_t)session);
    } else {
        printf("login: no handle for %s's session: %s\n", user_name, error_string((int)session));
    }
    if (ns_copy >= 0)
        ns_close((uint32_t)ns_copy); /* whatever the user left running loses its files */
}

int main(void)
{
    ns_use(HANDLE_ROOT_NS);
    for (;;) {
        banner();
        struct auth_user user;
        for (;;) {
            if (read_line("login: ", name, sizeof(name), 0) <= 0)
                continue;
            if (read_line("Password: ", password, sizeof(password), CONSOLE_NO_ECHO) < 0)
                continue; /* Ctrl-C or Ctrl-D: start again */
            long err = auth_login(HANDLE_AUTH, name, password, &user);
            memset(password, 0, sizeof(password));
            if (err == 0)
                break;
            if (err != -E_PERM) {
                /* Refused before auth could check (a name too long): answer as slowly. */
                printf("login: auth: %s\n", error_string((int)err));
                sys_sleep(AUTH_FAIL_DELAY_NS);
            }
            say("Login incorrect\n\n");
        }
        show_motd();
        run_shell(name, &user);
    }
}
