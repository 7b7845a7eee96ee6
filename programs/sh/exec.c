/*
 * Running a pipeline (see exec.h).
 *
 * Each command is a stage with an input and an output "end": the
 * console, a file the shell opened for < > >>, or an end of a pipe from
 * the pipe service (proto/pipe.h), made for each |. Each child gets
 * copies (spawn moves the handles it is given) and the shell then drops
 * its own without closing the end (stage_drop): the copies carry the same
 * badge, so the server closes the end or the file when the child's last
 * copy goes, however it ends, and its neighbours see end of file or a
 * closed pipe. The shell closes the ends of builtins and of stages that
 * never started itself (stage_release).
 *
 * The order is: make the pipes, open the redirections, start every
 * program, then run the builtins inside the shell (a builtin writing into
 * a pipe needs its reader already running), then wait for the children
 * in whatever order they end.
 *
 * A child gets handles 1 stdin, 2 stdout, 3 the namespace, 4 auth, 5
 * trace (each only if the shell has it and the ones before), and the
 * shell's variables as its environment plus STDIN and STDOUT saying what
 * 1 and 2 are (console, file or pipe). Programs are looked up in the
 * namespace (handle 3, through <parley/file.h>) and started with
 * spawn_path.
 */
#include "exec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>
#include <parley/file.h>
#include <parley/ipc_lib.h>
#include <parley/pipe.h>
#include <parley/sys.h>
#include <parley/syscall.h>

#define STATUS_NOT_FOUND 127
#define STATUS_CANNOT_RUN 126

struct end {
    enum sh_stream_kind kind;
    uint32_t handle;
    bool owned; /* a file or pipe end the shell releases after the stage */
};

struct stage {
    const struct sh_command *cmd;
    struct end in, out, err; /* err: the console, a 2> file, or out itself for 2>&1 */
    long pid;                /* > 0 while the program runs */
    int status;
    bool ready; /* its redirections worked */
};

static const char *kind_name(enum sh_stream_kind kind)
{
    return kind == SH_STREAM_FILE ? "file" : kind == SH_STREAM_PIPE ? "pipe" : "console";
}

static void end_release(struct end *e)
{
    if (!e->owned)
        return;
    if (e->kind == SH_STREAM_FILE)
        file_close(e->handle);
    else
        pipe_close(e->handle);
    e->owned = false;
}

static void stage_release(struct stage *s)
{
    end_release(&s->in);
    end_release(&s->out);
    end_release(&s->err);
}

/*
 * Drops the shell's own handles to a started program's pipe ends and
 * files without closing them for the child: its copies carry the same
 * badges, and when the last of them goes (the child ends, however) the
 * server closes the end or the file (IPC_TAG_CLOSED), so its neighbours
 * see end of file or a closed pipe even while the shell itself is
 * writing into the pipe from a builtin.
 */
static void stage_drop(struct stage *s)
{
    struct end *ends[] = {&s->in, &s->out, &s->err};
    for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
        if (ends[i]->owned)
            handle_close(ends[i]->handle);
        ends[i]->owned = false;
    }
}

/* A copy of h with all its rights, or a negative error. */
static long dup_handle(uint32_t h)
{
    long info = handle_info(h);
    if (info < 0)
        return info;
    return handle_dup(h, (uint32_t)info & RIGHTS_ALL);
}

/* Makes a pipe; its read end goes to *read_end, its write end to *write_end. */
static long make_pipe(uint32_t service, struct end *read_end, struct end *write_end)
{
    uint32_t ends[2];
    long err = pipe_create(service, ends);
    if (err < 0)
        return err;
    *read_end = (struct end){SH_STREAM_PIPE, ends[0], true};
    *write_end = (struct end){SH_STREAM_PIPE, ends[1], true};
    return 0;
}

/* Opens a redirection's file and makes it e, releasing what e was. */
static long open_redirect(struct shell *sh, const char *name, uint32_t flags, struct end *e)
{
    char path[SH_PATH_MAX];
    long h = shell_resolve(sh, name, path);
    if (h == 0)
        h = sh->ns != 0 ? ns_open(path, flags) : -E_NOENT;
    if (h < 0) {
        shell_printf(sh, "sh: %s: %s\n", name, error_string((int)h));
        return h;
    }
    end_release(e);
    *e = (struct end){SH_STREAM_FILE, (uint32_t)h, true};
    return 0;
}

static bool stage_redirect(struct shell *sh, struct stage *s)
{
    const struct sh_command *c = s->cmd;
    if (c->input != NULL && open_redirect(sh, c->input, FS_RIGHT_READ, &s->in) < 0)
        return false;
    uint32_t flags = FS_RIGHT_WRITE | FS_O_CREATE | (c->append ? 0 : FS_O_TRUNC);
    if (c->output != NULL && open_redirect(sh, c->output, flags, &s->out) < 0)
        return false;
    flags = FS_RIGHT_WRITE | FS_O_CREATE | (c->error_append ? 0 : FS_O_TRUNC);
    if (c->error != NULL && open_redirect(sh, c->error, flags, &s->err) < 0)
        return false;
    if (c->error_to_output)
        s->err = (struct end){s->out.kind, s->out.handle, false}; /* out releases it */
    return true;
}

/* Whether path names a file in the namespace: 0, or -E_NOENT, -E_ISDIR, ... */
static long program_check(const struct shell *sh, const char *path)
{
    struct fs_stat st;
    long err = sh->ns != 0 ? ns_stat(path, &st) : -E_NOENT;
    if (err == 0 && st.type != FS_TYPE_FILE)
        err = -E_ISDIR;
    return err;
}

/*
 * Finds name: a path when it has a '/', else the first file of that name
 * in a directory of PATH. Puts its absolute path in path; returns 0,
 * -E_NOENT when there is none, or why a path named outright is no good.
 */
static long program_find(struct shell *sh, const char *name, char *path)
{
    if (strchr(name, '/') != NULL) {
        long err = shell_resolve(sh, name, path);
        return err < 0 ? err : program_check(sh, path);
    }
    const char *dirs = shell_get(sh, "PATH");
    for (const char *d = dirs != NULL ? dirs : ""; *d != '\0';) {
        size_t n = strcspn(d, ":");
        char joined[SH_PATH_MAX];
        int len = snprintf(joined, sizeof(joined), "%.*s/%s", (int)n, d, name);
        if (n > 0 && len < (int)sizeof(joined) && shell_resolve(sh, joined, path) == 0 &&
            program_check(sh, path) == 0)
            return 0;
        d += n + (d[n] == ':');
    }
    return -E_NOENT;
}

/*
 * The handle numbers a child gets: stdin, stdout, namespace, auth, trace
 * while each (and every one before it) exists, then the PCI server, if
 * the shell has one, on the next number (named in PCI_HANDLE), then
 * stderr (named in STDERR_HANDLE): a copy of the shell's console, so a
 * program's complaints reach the screen whatever its stdout is, unless
 * 2>, 2>> or 2>&1 sent it elsewhere. Returns
 * how many fixed handles there are; *pci_at is the PCI server's number
 * (0: none) and *err_at stderr's.
 */
static uint32_t child_layout(const struct shell *sh, const struct stage *s, uint32_t *wanted,
                             uint32_t *pci_at, uint32_t *err_at)
{
    uint32_t fixed[5] = {s->in.handle, s->out.handle, sh->ns, sh->auth, sh->trace};
    uint32_t count = 0;
    while (count < 5 && fixed[count] != 0) {
        wanted[count] = fixed[count];
        count++;
    }
    *pci_at = sh->pci != 0 ? count + 1 : 0;
    *err_at = count + 1 + (sh->pci != 0);
    return count;
}

/* Is v a variable that names one of the shell's own handles (each child gets its own)? */
static bool handle_variable(const char *v)
{
    static const char *const names[] = {
        "STDIN=", "STDOUT=", "STDERR=", "STDERR_HANDLE=", "PIPE_HANDLE=", "PCI_HANDLE="};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strncmp(v, names[i], strlen(names[i])) == 0)
            return true;
    return false;
}

/*
 * argv, NULL, the environment, NULL, all in one list that grows with the
 * variables and is reused by the next spawn; NULL if memory ran out or
 * there are too many arguments. *env_count is how many variables the
 * child gets (the kernel takes at most SPAWN_MAX_ARGS).
 */
static const char **spawn_strings(struct shell *sh, const struct stage *s, char *in_var,
                                  char *out_var, size_t *env_count)
{
    static const char **list;
    static size_t room;
    static char pci_var[24], err_var[24], err_kind[24];
    if (s->cmd->argc > SPAWN_MAX_ARGS)
        return NULL;
    size_t need = (size_t)s->cmd->argc + 1 + sh->var_count + 6;
    if (need > room) {
        const char **bigger = realloc(list, need * sizeof(*list));
        if (bigger == NULL)
            return NULL;
        list = bigger;
        room = need;
    }
    size_t n = 0;
    for (int i = 0; i < s->cmd->argc; i++)
        list[n++] = s->cmd->argv[i];
    list[n++] = NULL;
    size_t env_start = n;
    for (size_t i = 0; i < sh->var_count; i++) {
        const char *v = sh->vars[i];
        if (!handle_variable(v))
            list[n++] = v;
    }
    snprintf(in_var, 16, "STDIN=%s", kind_name(s->in.kind));
    snprintf(out_var, 16, "STDOUT=%s", kind_name(s->out.kind));
    list[n++] = in_var;
    list[n++] = out_var;
    uint32_t wanted[5], pci_at, err_at;
    child_layout(sh, s, wanted, &pci_at, &err_at);
    if (pci_at != 0) {
        snprintf(pci_var, sizeof(pci_var), "PCI_HANDLE=%u", pci_at);
        list[n++] = pci_var;
    }
    snprintf(err_kind, sizeof(err_kind), "STDERR=%s", kind_name(s->err.kind));
    snprintf(err_var, sizeof(err_var), "STDERR_HANDLE=%u", err_at);
    list[n++] = err_kind;
    list[n++] = err_var;
    *env_count = n - env_start;
    list[n] = NULL;
    return list;
}

/* The environment part of a list from spawn_strings. */
static const char *const *env_after(const char **argv)
{
    while (*argv != NULL)
        argv++;
    return argv + 1;
}

/* The handles a child starts with, as copies; returns how many (they are moved by spawn). */
static uint32_t child_handles(struct shell *sh, const struct stage *s, uint32_t *handles)
{
    uint32_t wanted[7], pci_at, err_at;
    uint32_t fixed = child_layout(sh, s, wanted, &pci_at, &err_at);
    if (pci_at != 0)
        wanted[fixed++] = sh->pci;
    wanted[fixed++] = s->err.handle;
    uint32_t count = 0;
    for (uint32_t i = 0; i < fixed; i++) {
        long h = dup_handle(wanted[i]);
        if (h < 0)
            break; /* a later handle would land on the wrong number */
        handles[count++] = (uint32_t)h;
    }
    return count;
}

static void stage_spawn(struct shell *sh, struct stage *s)
{
    const char *name = s->cmd->argv[0];
    char path[SH_PATH_MAX];
    long err = program_find(sh, name, path);
    if (err < 0) {
        if (err == -E_NOENT) {
            shell_printf(sh, "%s: command not found\n", name);
            s->status = STATUS_NOT_FOUND;
        } else {
            shell_printf(sh, "%s: %s\n", name, error_string((int)err));
            s->status = STATUS_CANNOT_RUN;
        }
        return;
    }
    char in_var[16], out_var[16];
    size_t env_count = 0;
    const char **strings = spawn_strings(sh, s, in_var, out_var, &env_count);
    uint32_t handles[7];
    uint32_t count = strings != NULL ? child_handles(sh, s, handles) : 0;
    long pid =
        strings != NULL ? spawn_path(path, strings, env_after(strings), handles, count) : -E_2BIG;
    if (pid < 0) {
        for (uint32_t i = 0; i < count; i++)
            handle_close(handles[i]); /* a failed spawn leaves them with us */
        if (pid == -E_2BIG && env_count > SPAWN_MAX_ARGS)
            shell_printf(sh, "%s: %zu variables, but a program takes at most %d (unset some)\n",
                         name, env_count, SPAWN_MAX_ARGS);
        else
            shell_printf(sh, "%s: %s\n", name, error_string((int)pid));
        s->status = STATUS_CANNOT_RUN;
        return;
    }
    s->pid = pid;
    stage_drop(s);
}

/* Connects the stages: console at both ends of the pipeline, pipes between. */
static bool stages_connect(struct shell *sh, struct stage *stages, int count)
{
    for (int i = 0; i < count; i++) {
        stages[i].in = (struct end){SH_STREAM_CONSOLE, sh->in, false};
        stages[i].out = (struct end){SH_STREAM_CONSOLE, sh->out, false};
        stages[i].err = (struct end){SH_STREAM_CONSOLE, sh->out, false};
    }
    if (count > 1 && sh->pipes == 0) {
        shell_printf(sh, "sh: no pipe service: | cannot work in this shell\n");
        return false;
    }
    for (int i = 0; i + 1 < count; i++) {
        long err = make_pipe(sh->pipes, &stages[i + 1].in, &stages[i].out);
        if (err < 0) {
            shell_printf(sh, "sh: cannot make a pipe: %s\n", error_string((int)err));
            for (int j = 0; j <= i; j++)
                stage_release(&stages[j]);
            return false;
        }
    }
    return true;
}

/* Waits for every running stage, releasing each one's ends as it finishes. */
static void stages_wait(struct stage *stages, int count)
{
    for (;;) {
        bool running = false;
        for (int i = 0; i < count; i++)
            running |= stages[i].pid > 0;
        if (!running)
            return;
        int status = 0;
        long pid = sys_wait(-1, &status);
        if (pid < 0)
            return; /* no children left to wait for: the kernel lost track, or we did */
        for (int i = 0; i < count; i++) {
            if (stages[i].pid == pid) {
                stages[i].pid = 0;
                stages[i].status = status;
                stage_release(&stages[i]);
            }
        }
    }
}

/* The pipeline in the foreground; the interrupt thread reads it too. */
static struct stage stages[SH_COMMANDS_MAX];
static volatile bool interrupted;

void exec_interrupt(void)
{
    interrupted = true;
    for (int i = 0; i < SH_COMMANDS_MAX; i++) {
        long pid = stages[i].pid;
        if (pid > 0)
            sys_kill(pid);
    }
}

int exec_pipeline(struct shell *sh, const struct sh_pipeline *p)
{
    int count = p->count;
    interrupted = false;
    memset(stages, 0, sizeof(stages));
    for (int i = 0; i < count; i++)
        stages[i].cmd = &p->commands[i];
    if (!stages_connect(sh, stages, count))
        return 1;

    for (int i = 0; i < count; i++) {
        struct stage *s = &stages[i];
        s->ready = stage_redirect(sh, s);
        if (!s->ready)
            s->status = 1;
        else if (s->cmd->argc > 0 && !sh_is_builtin(s->cmd->argv[0]))
            stage_spawn(sh, s);
        if (s->pid <= 0 && (!s->ready || s->cmd->argc == 0 || !sh_is_builtin(s->cmd->argv[0])))
            stage_release(s); /* nothing will use its ends */
    }
    /*
     * Ctrl-C is armed before the builtins run: one writing into a pipe
     * whose reader does not read (`history | sleep 100`) waits in that
     * write until Ctrl-C ends the reader.
     */
    bool running = false;
    for (int i = 0; i < count; i++)
        running |= stages[i].pid > 0;
    if (running)
        shell_interrupt_arm(sh, true);
    for (int i = 0; i < count; i++) {
        struct stage *s = &stages[i];
        if (s->ready && s->cmd->argc > 0 && sh_is_builtin(s->cmd->argv[0])) {
            struct sh_stream out = {s->out.kind, s->out.handle};
            /* As in sh, cd, exit and export in a pipeline change nothing for the shell. */
            s->status = builtin_run(sh, s->cmd->argc, s->cmd->argv, &out, count > 1);
            stage_release(s);
        }
    }
    stages_wait(stages, count);
    if (running)
        shell_interrupt_arm(sh, false);
    if (interrupted) { /* Ctrl-C stopped it: as in sh, $? is 130 */
        shell_printf(sh, "^C\n");
        return 130;
    }
    return stages[count - 1].status;
}
