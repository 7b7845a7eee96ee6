/*
 * nstest: drives the vfs (servers/vfs) through <parley/file.h> and checks
 * that a namespace shows exactly what it mounts.
 *
 * Run as `run=nstest@use:vfs#1 parallel=1` on a normal boot, where the
 * ramdisk and the vfs are services and init has copied the boot image
 * into the ramdisk: handle 1 is the root namespace. nstest checks the
 * root namespace's view (programs, /etc, owners init set), derives an
 * "alice" namespace (/bin read-only, /home/alice and /tmp read-write) and
 * checks through it that nothing else can be named (/etc/shadow and
 * /home/bob are "no such file", also by "..", also when the ".." reaches
 * the vfs unnormalised), that "/" and "/home" list only the mounts, that
 * /bin cannot be written and her home can, that renames cross mounts but
 * never move a mount, and that rights are never widened. Last it starts
 * programs from the namespace with spawn_path: /bin/hello, and itself as
 * a child in alice's namespace with an environment, where relative paths
 * follow PWD.
 *
 * Each failed check logs "nstest: FAIL ..."; the last line is
 * "nstest: N checks, M failed" (tests/qemu/test_vfs.py reads it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/file.h>
#include <parley/ipc_lib.h>
#include <parley/sys.h>

#include "ipc_test.h"

#define ROOT_NS 1 /* use:vfs#1 */
#define RW (FS_RIGHT_READ | FS_RIGHT_WRITE)
#define CHILD_STATUS_OK 42

/* The names in a directory of the current namespace, joined by spaces. */
static const char *listing(const char *path)
{
    static char text[1024];
    struct fs_dirent entry;
    size_t used = 0;
    text[0] = '\0';
    for (uint64_t i = 0; ns_readdir(path, i, &entry) == 0 && used < sizeof(text); i++)
        used +=
            (size_t)snprintf(text + used, sizeof(text) - used, "%s%s", i ? " " : "", entry.name);
    return text;
}

static int listed(const char *path, const char *name)
{
    char padded[64];
    char text[1100];
    snprintf(padded, sizeof(padded), " %s ", name);
    snprintf(text, sizeof(text), " %s ", listing(path));
    return strstr(text, padded) != NULL;
}

static void expect_text(const char *what, const char *got, const char *want)
{
    if (!expect_true(what, strcmp(got, want) == 0))
        printf("nstest:   got \"%s\", want \"%s\"\n", got, want);
}

/* Reads a whole (small) file of the current namespace into buf; returns its length. */
static long read_file(const char *path, char *buf, size_t size)
{
    long file = ns_open(path, FS_RIGHT_READ);
    if (file < 0)
        return file;
    long n = file_read((uint32_t)file, 0, buf, size - 1);
    file_close((uint32_t)file);
    if (n >= 0)
        buf[n] = '\0';
    return n;
}

/* NS_OPEN with a raw path, skipping the library's own normalisation. */
static long raw_open(uint32_t ns, const char *path)
{
    size_t length = strlen(path);
    struct ipc_msg req = {.tag = NS_OPEN, .w = {FS_PATH_WORD(length, 0, FS_RIGHT_READ)}}, reply;
    struct ipc_extra extra = {0};
    if (length > FS_INLINE)
        return -E_RANGE;
    memcpy(&req.w[1], path, length);
    long err = ipc_request(ns, &req, &reply, IPC_FOREVER, &extra);
    ipc_extra_drop(&extra);
    return err;
}

static void test_root_namespace(void)
{
    ns_use(ROOT_NS);
    struct fs_stat st = {0};
    expect("stat /bin/hello", ns_stat("/bin/hello", &st), 0);
    expect("/bin/hello is a file", st.type, FS_TYPE_FILE);
    expect_true("/bin/hello has bytes", st.size > 1000);
    expect("/bin/hello mode", st.mode, 0755);
    expect("stat /bin/vfs", ns_stat("/bin/vfs", &st), 0);
    expect("stat /etc/motd", ns_stat("/etc/motd", &st), 0);
    expect("stat /etc/shadow", ns_stat("/etc/shadow", &st), 0);
    expect("/etc/shadow mode", st.mode, 0600);
    expect("stat /home/alice", ns_stat("/home/alice", &st), 0);
    expect("/home/alice owner", st.uid, 1000);
    expect("/home/alice mode", st.mode, 0700);
    expect("stat /home/bob", ns_stat("/home/bob", &st), 0);
    expect("/home/bob owner", st.uid, 1001);
    expect("stat /root", ns_stat("/root", &st), 0);
    expect("stat /tmp", ns_stat("/tmp", &st), 0);
    expect("/tmp mode", st.mode, 01777);
    expect("root rights", ns_stat("/", &st) == 0 ? st.rights : 0, FS_RIGHTS_ALL);
    char text[4096];
    expect_true("read /etc/passwd", read_file("/etc/passwd", text, sizeof(text)) > 0);
    expect_true("/etc/passwd has alice", strstr(text, "alice:1000:/home/alice") != NULL);
    expect_true("/ lists bin", listed("/", "bin"));
    expect_true("/ lists etc", listed("/", "etc"));
    expect_true("/ lists home", listed("/", "home"));
    expect_true("/ lists tmp", listed("/", "tmp"));
    expect_true("/bin lists hello", listed("/bin", "hello"));
    expect_text("/home lists", listing("/home"), "alice bob");
    expect("root: raw /..", raw_open(ROOT_NS, "/.."), -E_NOENT);
    struct ipc_msg req = {.tag = NS_CLOSE}, reply;
    expect("NS_CLOSE on the root", ipc_request(ROOT_NS, &req, &reply, IPC_FOREVER, NULL), -E_PERM);
}

static long derive_alice(void)
{
    ns_use(ROOT_NS);
    const char *mounts[] = {"/bin=/bin:ro", "/home/alice=/home/alice:rw", "/tmp=/tmp:rw"};
    long alice = ns_derive(mounts, 3);
    expect_true("derive alice", alice > 0);
    const char *bad[] = {"/x=/nowhere:ro"};
    expect("derive a missing directory", ns_derive(bad, 1), -E_NOENT);
    const char *file[] = {"/x=/etc/passwd:ro"};
    long file_ns = ns_derive(file, 1);
    expect_true("derive a file", file_ns > 0);
    if (file_ns > 0) {
        expect("below a file mount", raw_open((uint32_t)file_ns, "/x/y"), -E_NOTDIR);
        expect_true("open a file mount", raw_open((uint32_t)file_ns, "/x") >= 0);
        ns_close((uint32_t)file_ns);
    }
    const char *junk[] = {"/x=/bin"};
    expect("derive without rights", ns_derive(junk, 1), -E_INVAL);
    const char *relative[] = {"x=/bin:ro"};
    expect("derive a relative mount point", ns_derive(relative, 1), -E_INVAL);
    const char *twice[] = {"/x=/bin:ro", "/x=/tmp:rw"};
    expect("derive the same point twice", ns_derive(twice, 2), -E_EXIST);
    return alice;
}

static void test_alice_sees_only_her_mounts(uint32_t alice)
{
    ns_use(alice);
    struct fs_stat st;
    expect("alice: /etc/shadow", ns_open("/etc/shadow", FS_RIGHT_READ), -E_NOENT);
    expect("alice: stat /etc/shadow", ns_stat("/etc/shadow", &st), -E_NOENT);
    expect("alice: stat /etc", ns_stat("/etc", &st), -E_NOENT);
    expect("alice: /home/bob", ns_stat("/home/bob", &st), -E_NOENT);
    expect("alice: open in /home/bob", ns_open("/home/bob/x", FS_O_CREATE | RW), -E_NOENT);
    expect("alice: /root", ns_stat("/root", &st), -E_NOENT);
    expect("alice: readdir /etc", ns_readdir("/etc", 0, &(struct fs_dirent){0}), -E_NOENT);
    expect_text("alice: ls /", listing("/"), "bin home tmp");
    expect_text("alice: ls /home", listing("/home"), "alice");
    expect("alice: stat /", ns_stat("/", &st), 0);
    expect("alice: / is a directory", st.type, FS_TYPE_DIR);
    expect("alice: / is read-only", st.rights, FS_RIGHT_READ);
    expect("alice: / has 3 entries", (long)st.size, 3);
    expect("alice: stat /home", ns_stat("/home", &st), 0);
    expect("alice: open /home", ns_open("/home", FS_RIGHT_READ), -E_ISDIR);
    expect_true("alice: /bin lists hello", listed("/bin", "hello"));
    expect("alice: stat /bin/hello", ns_stat("/bin/hello", &st), 0);
    expect("alice: /bin/hello rights", st.rights, FS_RIGHT_READ);
    expect("alice: /home/alice rights", ns_stat("/home/alice", &st) == 0 ? st.rights : 0, RW);
    /* ".." never leads out, whether the library or the vfs normalises it. */
    expect("alice: ../bob", ns_open("/home/alice/../bob/x", FS_RIGHT_READ), -E_NOENT);
    expect("alice: ../../etc", ns_open("/home/alice/../../etc/shadow", FS_RIGHT_READ), -E_NOENT);
    expect("alice: /../etc", ns_open("/../etc/passwd", FS_RIGHT_READ), -E_NOENT);
    expect("alice: /tmp/../../x", ns_stat("/tmp/../../etc", &st), -E_NOENT);
    expect("alice: raw /tmp/../etc/passwd", raw_open(alice, "/tmp/../etc/passwd"), -E_NOENT);
    expect("alice: raw /tmp/../../etc", raw_open(alice, "/tmp/../../etc"), -E_NOENT);
    expect("alice: raw /home/alice/..", raw_open(alice, "/home/alice/.."), -E_ISDIR);
    /* She cannot widen her rights by deriving. */
    const char *widen[] = {"/b=/bin:rw"};
    expect("alice: derive /bin rw", ns_derive(widen, 1), -E_PERM);
    const char *outside[] = {"/b=/home/bob:ro"};
    expect("alice: derive /home/bob", ns_derive(outside, 1), -E_NOENT);
    const char *synthetic[] = {"/h=/home:ro"};
    expect("alice: derive /home", ns_derive(synthetic, 1), -E_INVAL);
}

static void test_alice_writes(uint32_t alice)
{
    ns_use(alice);
    struct fs_stat st;
    expect("alice: create /bin/x", ns_open("/bin/x", FS_O_CREATE | RW), -E_PERM);
    expect("alice: write /bin/hello", ns_open("/bin/hello", RW), -E_PERM);
    expect("alice: unlink /bin/hello", ns_unlink("/bin/hello"), -E_PERM);
    expect("alice: mkdir /bin/d", ns_mkdir("/bin/d", 0), -E_PERM);
    expect("alice: mkdir /etc", ns_mkdir("/etc", 0), -E_NOENT);
    expect("alice: mkdir /home", ns_mkdir("/home", 0), -E_EXIST);
    expect("alice: rmdir /tmp", ns_rmdir("/tmp"), -E_BUSY);
    expect("alice: rmdir /home", ns_rmdir("/home"), -E_BUSY);

    static const char text[] = "alice was here";
    long file = ns_open("/home/alice/f", FS_O_CREATE | RW);
    expect_true("alice: create /home/alice/f", file > 0);
    expect("alice: write f", file_write((uint32_t)file, 0, text, sizeof(text)), sizeof(text));
    expect("alice: close f", file_close((uint32_t)file), 0);
    char back[64] = "";
    expect("alice: read f back", read_file("/home/alice/f", back, sizeof(back)), sizeof(text));
    expect_text("alice: f's bytes", back, text);

    /* A long name travels in a memory region, both ways. */
    char long_name[200];
    snprintf(long_name, sizeof(long_name),
             "/home/alice/a-name-long-enough-to-need-a-memory-region-%s", "0123456789abcdef");
    file = ns_open(long_name, FS_O_CREATE | RW);
    expect_true("alice: create a long name", file > 0);
    file_close((uint32_t)file);
    expect_true("alice: readdir shows the long name",
                listed("/home/alice", path_basename(long_name)));
    expect("alice: unlink the long name", ns_unlink(long_name), 0);

    expect("alice: mkdir d", ns_mkdir("/home/alice/d", 0), 0);
    expect("alice: rename across mounts", ns_rename("/home/alice/f", "/tmp/f"), 0);
    expect("alice: stat /tmp/f", ns_stat("/tmp/f", &st), 0);
    expect("alice: f left home", ns_stat("/home/alice/f", &st), -E_NOENT);
    expect("alice: rename into /bin", ns_rename("/tmp/f", "/bin/f"), -E_PERM);
    expect("alice: rename a mount", ns_rename("/tmp", "/home/alice/t"), -E_BUSY);
    expect("alice: rename out of the namespace", ns_rename("/tmp/f", "/etc/f"), -E_NOENT);
    expect("alice: unlink /tmp/f", ns_unlink("/tmp/f"), 0);
    expect("alice: rmdir d", ns_rmdir("/home/alice/d"), 0);

    /* Relative paths follow PWD. */
    expect("setenv PWD", setenv("PWD", "/home/alice", 1), 0);
    file = ns_open("g", FS_O_CREATE | RW);
    expect_true("alice: create g relative to PWD", file > 0);
    expect("alice: write g", file_write((uint32_t)file, 0, "gg", 2), 2);
    file_close((uint32_t)file);
    expect("alice: stat /home/alice/g", ns_stat("/home/alice/g", &st), 0);
    expect("alice: ../bob relative", ns_stat("../bob", &st), -E_NOENT);
    expect("unsetenv PWD", unsetenv("PWD"), 0);
    expect("PWD gone", getenv("PWD") == NULL, 1);
}

static void test_spawn(uint32_t alice)
{
    ns_use(alice);
    int status = -1;
    const char *hello_argv[] = {"hello", "from-namespace", NULL};
    long pid = spawn_path("/bin/hello", hello_argv, NULL, NULL, 0);
    expect_true("spawn_path /bin/hello", pid > 0);
    expect("wait hello", sys_wait(pid, &status), pid);
    expect("hello's status", status, 0);
    expect("spawn_path a directory", spawn_path("/bin", hello_argv, NULL, NULL, 0), -E_ISDIR);
    expect("spawn_path outside", spawn_path("/etc/passwd", hello_argv, NULL, NULL, 0), -E_NOENT);
    ns_use(ROOT_NS);
    long err = spawn_path("/etc/motd", hello_argv, NULL, NULL, 0);
    if (!expect_true("spawn_path a text file fails", err == -E_NOEXEC || err == -E_INVAL))
        printf("nstest:   got %ld\n", err);
    ns_use(alice);

    /* Itself, as a child in alice's namespace, which it gets as handle 1. */
    long copy = handle_dup(alice, RIGHT_SEND | RIGHT_DUPLICATE | RIGHT_TRANSFER);
    expect_true("dup alice's namespace", copy > 0);
    uint32_t handles[] = {(uint32_t)copy};
    const char *argv[] = {"nstest", "child", NULL};
    const char *envp[] = {"PWD=/home/alice", "NSTEST=yes", "USER=alice", NULL};
    pid = spawn_path("/bin/nstest", argv, envp, handles, 1);
    expect_true("spawn_path the child", pid > 0);
    expect("wait the child", sys_wait(pid, &status), pid);
    expect("the child's checks", status, CHILD_STATUS_OK);
}

static void test_close(uint32_t alice)
{
    long copy = handle_dup(alice, RIGHT_SEND);
    expect_true("dup alice", copy > 0);
    expect("close alice's namespace", ns_close(alice), 0);
    ns_use((uint32_t)copy);
    struct fs_stat st;
    expect("a closed namespace", ns_stat("/", &st), -E_BADHANDLE);
    handle_close((uint32_t)copy);
    ns_use(ROOT_NS);
    expect("the root namespace still works", ns_stat("/bin/hello", &st), 0);
}

/* The child: namespace on handle 1, environment from spawn_path. */
static int child(void)
{
    ns_use(1);
    const char *flag = getenv("NSTEST");
    char text[64] = "";
    struct fs_stat st;
    int ok = flag != NULL && strcmp(flag, "yes") == 0 && read_file("g", text, sizeof(text)) == 2 &&
             strcmp(text, "gg") == 0 && ns_stat("/etc/passwd", &st) == -E_NOENT &&
             strcmp(listing("/"), "bin home tmp") == 0;
    printf("nstest: child in alice's namespace: %s\n", ok ? "ok" : "FAIL");
    return ok ? CHILD_STATUS_OK : 1;
}

int main(int argc, char **argv)
{
    test_name = "nstest";
    if (argc > 1 && strcmp(argv[1], "child") == 0)
        return child();
    test_root_namespace();
    long alice = derive_alice();
    if (alice > 0) {
        test_alice_sees_only_her_mounts((uint32_t)alice);
        test_alice_writes((uint32_t)alice);
        test_spawn((uint32_t)alice);
        test_close((uint32_t)alice);
    }
    printf("nstest: %d checks, %d failed\n", test_checks, test_failures);
    return test_failures == 0 ? 0 : 1;
}
