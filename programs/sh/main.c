/*
 * sh: Parley's shell. It shows the prompt `user@parley:cwd$ ` (`#` for
 * root), reads a line with its own editor (edit.c), parses it (parse.c),
 * and runs the pipeline (exec.c): builtins inside the shell
 * (builtins.c), everything else as programs from PATH.
 *
 * Handles (docs/files-and-users.md): 1 the console to read keys from,
 * 2 the console to write to (the same console, given twice), 3 the
 * namespace, 4 auth, 5 trace (root only). The pipe service comes as the
 * handle named by the PIPE_HANDLE environment variable, else handle 6 if
 * that is an endpoint: login must pass it there (or name it) for `|` to
 * work. Environment: USER, UID, HOME, PWD, PATH; a shell started without
 * them (init's run=) uses root's defaults.
 *
 * This file also holds the shell's variables and path resolution, which
 * every other part uses.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/console.h>
#include <parley/errors.h>
#include <parley/file.h>
#include <parley/ipc_lib.h>
#include <parley/path.h>
#include <parley/pipe.h>
#include <parley/sys.h>

#include "edit.h"
#include "exec.h"
#include "parse.h"
#include "shell.h"

static struct shell shell;

/* --- variables --- */

static char **var_slot(const struct shell *sh, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < sh->var_count; i++)
        if (strncmp(sh->vars[i], name, n) == 0 && sh->vars[i][n] == '=')
            return (char **)&sh->vars[i];
    return NULL;
}

const char *shell_get(const struct shell *sh, const char *name)
{
    char **slot = var_slot(sh, name);
    return slot != NULL ? strchr(*slot, '=') + 1 : NULL;
}

int shell_set(struct shell *sh, const char *name, const char *value)
{
    size_t n = strlen(name), v = strlen(value);
    char *entry = malloc(n + v + 2);
    if (entry == NULL)
        return -E_NOMEM;
    memcpy(entry, name, n);
    entry[n] = '=';
    memcpy(entry + n + 1, value, v + 1);
    char **slot = var_slot(sh, name);
    if (slot != NULL) {
        free(*slot);
        *slot = entry;
        return 0;
    }
    if (sh->var_count == sh->var_room) {
        size_t room = sh->var_room == 0 ? 16 : 2 * sh->var_room;
        char **vars = realloc(sh->vars, room * sizeof(*vars));
        if (vars == NULL) {
            free(entry);
            return -E_NOMEM;
        }
        sh->vars = vars;
        sh->var_room = room;
    }
    sh->vars[sh->var_count++] = entry;
    return 0;
}

void shell_unset(struct shell *sh, const char *name)
{
    char **slot = var_slot(sh, name);
    if (slot == NULL)
        return;
    free(*slot);
    /* Keep the order the variables were set in: export lists them that way. */
    size_t i = (size_t)(slot - sh->vars);
    memmove(&sh->vars[i], &sh->vars[i + 1], (sh->var_count - i - 1) * sizeof(*sh->vars));
    sh->var_count--;
}

/* The parser's view of the variables. */
static const char *lookup(void *ctx, const char *name)
{
    return shell_get(ctx, name);
}

/* --- paths --- */

int shell_resolve(const struct shell *sh, const char *path, char *out)
{
    long len = path_join(sh->cwd, path, out, SH_PATH_MAX);
    return len < 0 ? (int)len : 0;
}

/* --- output --- */

long stream_write(const struct sh_stream *s, const void *buf, size_t len)
{
    if (len == 0)
        return 0;
    switch (s->kind) {
    case SH_STREAM_FILE:
        return file_write(s->handle, FS_APPEND, buf, len);
    case SH_STREAM_PIPE:
        return pipe_write(s->handle, buf, len);
    case SH_STREAM_CONSOLE:
    default:
        return console_write(s->handle, buf, len);
    }
}

static int stream_vprintf(const struct sh_stream *s, const char *fmt, va_list ap)
{
    char small[512];
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    if (n >= 0 && (size_t)n < sizeof(small)) {
        stream_write(s, small, (size_t)n);
    } else if (n >= 0) {
        char *big = malloc((size_t)n + 1);
        if (big != NULL) {
            vsnprintf(big, (size_t)n + 1, fmt, again);
            stream_write(s, big, (size_t)n);
            free(big);
        }
    }
    va_end(again);
    return n;
}

int stream_printf(const struct sh_stream *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = stream_vprintf(s, fmt, ap);
    va_end(ap);
    return n;
}

int shell_printf(const struct shell *sh, const char *fmt, ...)
{
    struct sh_stream console = {SH_STREAM_CONSOLE, sh->out};
    va_list ap;
    va_start(ap, fmt);
    int n = stream_vprintf(&console, fmt, ap);
    va_end(ap);
    return n;
}

/* --- start-up --- */

/*
 * One line to the kernel log, for tests and post-mortems. Not printf:
 * with STDOUT=console (as login starts the shell) that goes to the screen.
 */
__attribute__((__format__(__printf__, 1, 2))) static void log_line(const char *fmt, ...)
{
    char line[LOG_MAX_LENGTH];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (n > 0)
        sys_log(line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

/* The variables from the environment, with root's defaults for those missing. */
static void setup_vars(struct shell *sh, char **envp)
{
    for (; envp != NULL && *envp != NULL; envp++) {
        char name[SH_NAME_MAX + 1];
        const char *value;
        if (sh_assignment(*envp, name, sizeof(name), &value) == 0)
            shell_set(sh, name, value);
    }
    static const char *const defaults[][2] = {
        {"USER", "root"}, {"UID", "0"}, {"HOME", "/"}, {"PWD", "/"}, {"PATH", "/bin"},
    };
    for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
        if (shell_get(sh, defaults[i][0]) == NULL)
            shell_set(sh, defaults[i][0], defaults[i][1]);
    char pwd[SH_PATH_MAX];
    strcpy(sh->cwd, "/");
    if (shell_resolve(sh, shell_get(sh, "PWD"), pwd) == 0)
        strcpy(sh->cwd, pwd);
    shell_set(sh, "PWD", sh->cwd);
}

/* What kind of object handle h is (OBJECT_*), or 0 when there is no such handle. */
static uint32_t handle_type(long h)
{
    long info = h > 0 ? handle_info((uint32_t)h) : -E_BADHANDLE;
    return info < 0 ? 0 : (uint32_t)((uint64_t)info >> 32);
}

/*
 * Finds the shell's handles. The pipe service is where PIPE_HANDLE says
 * (login puts it right after the others, so for a user without trace it
 * is handle 5), else handle 6; it is never taken for auth or trace.
 */
static void setup_handles(struct shell *sh)
{
    sh->in = SH_HANDLE_IN;
    sh->out = SH_HANDLE_OUT;
    const char *named = shell_get(sh, "PIPE_HANDLE");
    long pipes = named != NULL ? strtol(named, NULL, 10) : SH_HANDLE_PIPE;
    if (pipes > SH_HANDLE_OUT && handle_type(pipes) == OBJECT_ENDPOINT)
        sh->pipes = (uint32_t)pipes;
    if (sh->pipes != SH_HANDLE_NS && handle_type(SH_HANDLE_NS) == OBJECT_ENDPOINT)
        sh->ns = SH_HANDLE_NS;
    if (sh->ns != 0 && sh->pipes != SH_HANDLE_AUTH &&
        handle_type(SH_HANDLE_AUTH) == OBJECT_ENDPOINT)
        sh->auth = SH_HANDLE_AUTH;
    if (sh->auth != 0 && handle_type(SH_HANDLE_TRACE) == OBJECT_TRACE)
        sh->trace = SH_HANDLE_TRACE;
    const char *pci = shell_get(sh, "PCI_HANDLE"); /* given by login; passed on to lspci */
    long pci_handle = pci != NULL ? strtol(pci, NULL, 10) : 0;
    if (pci_handle > SH_HANDLE_OUT && pci_handle != (long)sh->pipes &&
        handle_type(pci_handle) == OBJECT_ENDPOINT)
        sh->pci = (uint32_t)pci_handle;
}

/*
 * Ctrl-C for programs that never read the console: while a pipeline runs
 * (and only then, so Ctrl-C on our own line is never taken), the console
 * holds a send right to an endpoint of ours and sends CONSOLE_INTERRUPT
 * there when Ctrl-C is pressed while nobody reads; a second thread
 * waiting on it stops the foreground pipeline. (A program that does read
 * the console gets -E_INTR from its read.)
 */
#define INTERRUPT_STACK (16 * 1024)

static uint32_t interrupt_endpoint;

static void interrupt_thread(void *arg)
{
    (void)arg;
    for (;;) {
        struct ipc_msg msg;
        if (ipc_receive(interrupt_endpoint, &msg, IPC_FOREVER, NULL, NULL) < 0)
            sys_thread_exit();
        if (msg.tag == CONSOLE_INTERRUPT)
            exec_interrupt();
    }
}

/* Starts the interrupt thread; Ctrl-C for programs stays off if this fails. */
static void setup_interrupt(void)
{
    long ep = endpoint_create();
    char *stack = ep >= 0 ? malloc(INTERRUPT_STACK) : NULL;
    long err = stack == NULL ? (ep < 0 ? ep : -E_NOMEM)
                             : sys_thread_create(interrupt_thread, stack + INTERRUPT_STACK, NULL);
    if (err < 0) {
        log_line("sh: no Ctrl-C for programs: %s", error_string((int)err));
        return;
    }
    interrupt_endpoint = (uint32_t)ep;
}

void shell_interrupt_arm(struct shell *sh, bool on)
{
    if (interrupt_endpoint == 0)
        return;
    struct ipc_msg request = {.tag = CONSOLE_SET_INTERRUPT}, reply;
    struct ipc_extra extra = {0};
    long give = on ? handle_dup(interrupt_endpoint, RIGHT_SEND | RIGHT_TRANSFER) : 0;
    if (give < 0)
        return;
    if (on) {
        extra.send_handles[0] = (uint32_t)give;
        extra.send_count = 1;
    }
    ipc_request(sh->in, &request, &reply, IPC_FOREVER, &extra);
}

static void make_prompt(const struct shell *sh, char *buf, size_t size)
{
    const char *uid = shell_get(sh, "UID");
    bool root = uid != NULL && strcmp(uid, "0") == 0;
    const char *user = shell_get(sh, "USER");
    snprintf(buf, size, "%s@parley:%s%c ", user != NULL ? user : "?", sh->cwd, root ? '#' : '$');
}

/* Parses and runs one pipeline (a line, or one part of it between ';'). */
static void run_pipeline(struct shell *sh, const char *text)
{
    static struct sh_pipeline pipeline;
    char err[160];
    struct sh_env env = {lookup, sh, sh->status};
    if (sh_parse(text, &env, &pipeline, err, sizeof(err)) < 0) {
        shell_printf(sh, "sh: %s\n", err);
        sh->status = 2;
        return;
    }
    if (pipeline.count > 0)
        sh->status = exec_pipeline(sh, &pipeline);
}

/*
 * Runs a line: keeps it in the history, then runs each part between
 * unquoted ';' in turn ($? carries from one to the next), up to a
 * comment (sh_part finds the parts; sh_parse does the real work on each).
 */
static void run_line(struct shell *sh, const char *line)
{
    static char part[SH_LINE_MAX + 1];
    if (sh_history_add(&sh->history, line) < 0)
        shell_printf(sh, "sh: history: %s\n", error_string(-E_NOMEM));
    for (const char *at = line; at != NULL;) {
        const char *next;
        size_t length = sh_part(at, &next);
        snprintf(part, sizeof(part), "%.*s", (int)length, at);
        run_pipeline(sh, part);
        at = next;
    }
}

int main(int argc, char **argv, char **envp)
{
    (void)argc;
    (void)argv;
    static char line[SH_LINE_MAX + 1];
    static char prompt[SH_PATH_MAX + 64];
    struct shell *sh = &shell;
    sh_history_init(&sh->history);
    setup_vars(sh, envp);
    setup_handles(sh);
    setup_interrupt(); /* after setup_handles: its endpoint must not take a fixed number */
    log_line("sh: ready for %s in %s (namespace %s, pipes %s)", shell_get(sh, "USER"), sh->cwd,
             sh->ns ? "yes" : "no", sh->pipes ? "yes" : "no");
    while (!sh->done) {
        make_prompt(sh, prompt, sizeof(prompt));
        long n = edit_read_line(sh, prompt, line, sizeof(line));
        if (n == -E_INTR) {
            sh->status = 130;
            continue;
        }
        if (n < 0) {
            if (n == -E_CLOSED)
                shell_printf(sh, "logout\n");
            log_line("sh: end of input (%s), logging out", error_string((int)n));
            sh->status = 0;
            break;
        }
        run_line(sh, line);
    }
    sh_history_free(&sh->history);
    log_line("sh: exit %d", sh->status);
    return sh->status;
}
