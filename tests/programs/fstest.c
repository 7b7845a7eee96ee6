/*
 * fstest: drives the ramdisk through the file-system client library
 * (<parley/fs.h>) and checks every answer.
 *
 * Run as `run=ramdisk@serve:fs@use:fs,fstest@use:fs parallel=1`: handle
 * 1 is an unbadged send handle on the ramdisk's endpoint, which the
 * server takes as its root directory with every right. From there it
 * makes directories and files, moves 1 MiB through memory regions and
 * small pieces inline, truncates, stats, lists, renames across
 * directories, removes, and checks that every handle reaches no further
 * than its rights and its directory: ".." stops at the handle, a
 * read-only handle cannot write, a directory handle cannot grant more
 * than it has, and a closed or made-up handle reaches nothing. It ends
 * with timings of 1 MiB written and read, and of a small read.
 *
 * Each failed check logs "fstest: FAIL ..."; the last line is
 * "fstest: N checks, M failed" (tests/qemu/test_ramdisk.py reads it).
 */
#include <stdio.h>
#include <string.h>

#include <parley/fs.h>
#include <parley/ipc_lib.h>
#include <parley/sys.h>

#include "ipc_test.h"

#define ROOT 1 /* use:fs, unbadged */
#define RW (FS_RIGHT_READ | FS_RIGHT_WRITE)
#define BIG (1u << 20)
#define ROUNDS 5
#define SMALL_READS 1000

static uint8_t big_out[BIG], big_in[BIG];

static struct fs_stat stat_of(uint32_t handle)
{
    struct fs_stat st = {0};
    expect("stat", fs_stat(handle, &st), 0);
    return st;
}

/* The names in a directory, in readdir order, joined by spaces. */
static const char *listing(uint32_t dir)
{
    static char text[512];
    struct fs_dirent entry;
    size_t used = 0;
    text[0] = '\0';
    for (uint64_t i = 0; fs_readdir(dir, i, &entry) == 0 && used < sizeof(text); i++)
        used += (size_t)snprintf(text + used, sizeof(text) - used, "%s%s%s", i ? " " : "",
                                 entry.name, entry.type == FS_TYPE_DIR ? "/" : "");
    return text;
}

static void expect_text(const char *what, const char *got, const char *want)
{
    if (!expect_true(what, strcmp(got, want) == 0))
        printf("fstest:   got \"%s\", want \"%s\"\n", got, want);
}

static void test_root(void)
{
    struct fs_stat st = stat_of(ROOT);
    expect("root type", st.type, FS_TYPE_DIR);
    expect("root rights", st.rights, FS_RIGHTS_ALL);
    expect("mkdir data", fs_mkdir(ROOT, "data", 0), 0);
    expect("mkdir data/sub", fs_mkdir(ROOT, "/data/sub", 0), 0);
    expect("mkdir other", fs_mkdir(ROOT, "other", 0750), 0);
    expect("mkdir data again", fs_mkdir(ROOT, "data", 0), -E_EXIST);
    expect("mkdir under a missing directory", fs_mkdir(ROOT, "nowhere/x", 0), -E_NOENT);
    long other = fs_open(ROOT, "other", FS_O_DIRECTORY | FS_RIGHT_READ);
    expect("other's mode", stat_of((uint32_t)other).mode, 0750);
    expect("close other", fs_close((uint32_t)other), 0);
    expect_text("root listing", listing(ROOT), "data/ other/");
}

/* The best (shortest) time of the ROUNDS, in ns and in TSC ticks. */
struct timing {
    uint64_t ns, tsc;
};

static void timing_take(struct timing *best, uint64_t ns, uint64_t tsc)
{
    if (ns < best->ns)
        best->ns = ns;
    if (tsc < best->tsc)
        best->tsc = tsc;
}

/* 1 MiB through regions, timed; returns the file's handle. */
static long test_big_file(struct timing *write, struct timing *read)
{
    long big = fs_open(ROOT, "data/big", FS_O_CREATE | FS_O_EXCL | RW);
    expect_true("create data/big", big > 0);
    expect("create it again exclusively", fs_open(ROOT, "data/big", FS_O_CREATE | FS_O_EXCL | RW),
           -E_EXIST);
    struct fs_stat st = stat_of((uint32_t)big);
    expect("new file size", (long)st.size, 0);
    expect("new file type", st.type, FS_TYPE_FILE);
    expect("new file mode", st.mode, FS_MODE_FILE_DEFAULT);
    expect("new file rights", st.rights, RW);

    pattern_fill(big_out, BIG, 3);
    *write = *read = (struct timing){UINT64_MAX, UINT64_MAX};
    for (int round = 0; round < ROUNDS; round++) {
        memset(big_in, 0, BIG);
        uint64_t ns = time_now_ns(), tsc = rdtsc();
        long wrote = fs_write((uint32_t)big, 0, big_out, BIG);
        timing_take(write, time_now_ns() - ns, rdtsc() - tsc);
        ns = time_now_ns(), tsc = rdtsc();
        long got = fs_read((uint32_t)big, 0, big_in, BIG);
        timing_take(read, time_now_ns() - ns, rdtsc() - tsc);
        expect("write 1 MiB", wrote, BIG);
        expect("read 1 MiB", got, BIG);
    }
    expect("bytes read back that differ", (long)pattern_errors(big_in, BIG, 3), 0);
    expect("size after 1 MiB", (long)stat_of((uint32_t)big).size, BIG);

    /* Reads that straddle the end, and one past it. */
    expect("read across the end", fs_read((uint32_t)big, BIG - 100, big_in, 5000), 100);
    expect("read past the end", fs_read((uint32_t)big, BIG + 5, big_in, 10), 0);
    return big;
}

static void test_small_io(void)
{
    char buf[64];
    long small = fs_open(ROOT, "data/small", FS_O_CREATE | RW);
    expect("write hello", fs_write((uint32_t)small, 0, "hello", 5), 5);
    expect("write XY at 3", fs_write((uint32_t)small, 3, "XY", 2), 2);
    expect("write ! at 10", fs_write((uint32_t)small, 10, "!", 1), 1);
    memset(buf, 'z', sizeof(buf));
    expect("read it all inline", fs_read((uint32_t)small, 0, buf, 24), 11);
    expect_true("contents, with a hole of zeros", memcmp(buf, "helXY\0\0\0\0\0!", 11) == 0);
    expect("append", fs_write((uint32_t)small, FS_APPEND, "end", 3), 3);
    expect("size after append", (long)stat_of((uint32_t)small).size, 14);
    static const char longer[] = "seventeen bytes!!"; /* one over FS_WRITE_INLINE */
    expect("write 17 bytes", fs_write((uint32_t)small, 14, longer, 17), 17);
    expect("read 31 bytes (a region)", fs_read((uint32_t)small, 0, buf, sizeof(buf)), 31);
    expect_true("contents after the region write",
                memcmp(buf + 11, "endseventeen bytes!!", 20) == 0);
    expect("read 2 at 3", fs_read((uint32_t)small, 3, buf, 2), 2);
    expect_true("XY", memcmp(buf, "XY", 2) == 0);
    expect("close small", fs_close((uint32_t)small), 0);
}

static void test_truncate_and_times(long big)
{
    uint8_t buf[16];
    struct fs_stat before = stat_of((uint32_t)big);
    expect("truncate to 1000", fs_truncate((uint32_t)big, 1000), 0);
    struct fs_stat after = stat_of((uint32_t)big);
    expect("size after truncate", (long)after.size, 1000);
    expect_true("mtime moves on truncate", after.mtime_ns > before.mtime_ns);
    expect_true("ctime moves on truncate", after.ctime_ns > before.ctime_ns);
    expect("truncate up to 5000", fs_truncate((uint32_t)big, 5000), 0);
    expect("read the grown part", fs_read((uint32_t)big, 1000, buf, sizeof(buf)), 16);
    expect_true("the grown part is zeros",
                memcmp(buf, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16) == 0);
    expect("read below the cut", fs_read((uint32_t)big, 990, buf, 10), 10);
    expect_true("bytes below the cut kept", memcmp(buf, big_out + 990, 10) == 0);

    /* Owner and mode: only with FS_RIGHT_ADMIN, and they move ctime, not mtime. */
    expect("setowner without the right", fs_setowner((uint32_t)big, 1000, 0600), -E_PERM);
    long admin = fs_open(ROOT, "data/big", FS_RIGHT_READ | FS_RIGHT_ADMIN);
    before = stat_of((uint32_t)admin);
    expect("setowner", fs_setowner((uint32_t)admin, 1000, 0600), 0);
    expect("setowner with a bad mode", fs_setowner((uint32_t)admin, 1000, 010000), -E_INVAL);
    after = stat_of((uint32_t)big);
    expect("uid", after.uid, 1000);
    expect("mode", after.mode, 0600);
    expect_true("ctime moves on setowner", after.ctime_ns > before.ctime_ns);
    expect_true("mtime stays on setowner", after.mtime_ns == before.mtime_ns);
    expect("close admin", fs_close((uint32_t)admin), 0);

    /* A new node takes its directory's owner. */
    long sub = fs_open(ROOT, "data/sub", FS_O_DIRECTORY | FS_RIGHT_READ | FS_RIGHT_ADMIN);
    expect("setowner of a directory", fs_setowner((uint32_t)sub, 42, 0700), 0);
    long mine = fs_open(ROOT, "data/sub/mine", FS_O_CREATE | FS_RIGHT_READ);
    expect("a new file's owner", stat_of((uint32_t)mine).uid, 42);
    expect("unlink mine", fs_unlink(ROOT, "data/sub/mine"), 0);
    expect("close mine", fs_close((uint32_t)mine), 0);
    expect("close sub", fs_close((uint32_t)sub), 0);
}

static void test_listing_and_rename(void)
{
    static const char long_name[] = "a-file-with-a-name-longer-than-24-bytes.txt";
    char path[128];
    snprintf(path, sizeof(path), "data/%s", long_name);
    long f = fs_open(ROOT, path, FS_O_CREATE | FS_RIGHT_WRITE);
    expect("create a long name", fs_close((uint32_t)f), 0);
    long data = fs_open(ROOT, "data", FS_O_DIRECTORY | RW);
    long other = fs_open(ROOT, "other", FS_O_DIRECTORY | RW);
    expect_text("data listing", listing((uint32_t)data),
                "a-file-with-a-name-longer-than-24-bytes.txt big small sub/");
    struct fs_dirent entry;
    expect("readdir past the end", fs_readdir((uint32_t)data, 4, &entry), -E_NOENT);
    expect("directory size", (long)stat_of((uint32_t)data).size, 4);

    expect("rename across directories",
           fs_rename((uint32_t)data, "small", (uint32_t)other, "moved"), 0);
    expect_text("data after the rename", listing((uint32_t)data),
                "a-file-with-a-name-longer-than-24-bytes.txt big sub/");
    expect_text("other after the rename", listing((uint32_t)other), "moved");
    long moved = fs_open((uint32_t)other, "moved", FS_RIGHT_READ);
    char buf[8];
    expect("read the moved file", fs_read((uint32_t)moved, 0, buf, 5), 5);
    expect_true("it kept its bytes", memcmp(buf, "helXY", 5) == 0);
    expect("close moved", fs_close((uint32_t)moved), 0);
    expect("rename by paths in one handle", fs_rename(ROOT, "other/moved", ROOT, "data/back"), 0);
    expect("rename a directory below itself", fs_rename(ROOT, "data", ROOT, "data/sub/data"),
           -E_INVAL);
    expect("rename over a non-empty directory", fs_rename(ROOT, "other", ROOT, "data"),
           -E_NOTEMPTY);

    /* The token that names a rename's target: one use, this process, not made up. */
    struct ipc_msg req = {.tag = FS_TOKEN}, reply;
    expect("token", ipc_request((uint32_t)other, &req, &reply, IPC_FOREVER, NULL), 0);
    uint64_t token = reply.w[0];
    struct ipc_msg rename = {.tag = FS_RENAME, .w = {10, token ^ (1ull << 40)}};
    memcpy(&rename.w[2], "back\0back2", 10);
    expect("rename with a made-up token",
           ipc_request((uint32_t)data, &rename, &reply, IPC_FOREVER, NULL), -E_PERM);
    rename.w[1] = token;
    expect("rename with the token", ipc_request((uint32_t)data, &rename, &reply, IPC_FOREVER, NULL),
           0);
    memcpy(&rename.w[2], "back2\0back", 10);
    expect("the token is used up", ipc_request((uint32_t)data, &rename, &reply, IPC_FOREVER, NULL),
           -E_PERM);
    expect_text("other after the token rename", listing((uint32_t)other), "back2");

    expect("unlink", fs_unlink((uint32_t)other, "back2"), 0);
    expect("open an unlinked name", fs_open((uint32_t)other, "back2", FS_RIGHT_READ), -E_NOENT);
    expect("unlink a directory", fs_unlink(ROOT, "data/sub"), -E_ISDIR);
    expect("rmdir a file", fs_rmdir(ROOT, "data/big"), -E_NOTDIR);
    expect("rmdir a non-empty directory", fs_rmdir(ROOT, "data"), -E_NOTEMPTY);
    expect("rmdir an empty one", fs_rmdir(ROOT, "other"), 0);
    expect_text("root listing after rmdir", listing(ROOT), "data/");
    expect("mkdir in a removed directory", fs_mkdir((uint32_t)other, "x", 0), -E_NOENT);
    expect("close data", fs_close((uint32_t)data), 0);
    expect("close other", fs_close((uint32_t)other), 0);
}

static void test_confinement(void)
{
    long sub = fs_open(ROOT, "data/sub", FS_O_DIRECTORY | RW);
    expect_true("open data/sub", sub > 0);
    expect("create in sub", fs_close((uint32_t)fs_open((uint32_t)sub, "inside", FS_O_CREATE | RW)),
           0);
    static const char *const escapes[] = {"..",      "../big",           "../../data/big",
                                          "/../big", "inside/../../big", "./x/../.."};
    for (size_t i = 0; i < sizeof(escapes) / sizeof(escapes[0]); i++)
        expect(escapes[i], fs_open((uint32_t)sub, escapes[i], FS_RIGHT_READ), -E_NOENT);
    expect("mkdir through ..", fs_mkdir((uint32_t)sub, "../escape", 0), -E_NOENT);
    expect("rename out through ..", fs_rename((uint32_t)sub, "inside", (uint32_t)sub, "../stolen"),
           -E_NOENT);
    expect("rename in through ..", fs_rename((uint32_t)sub, "../big", (uint32_t)sub, "stolen"),
           -E_NOENT);
    expect("unlink through ..", fs_unlink((uint32_t)sub, "../big"), -E_NOENT);
    long inside = fs_open((uint32_t)sub, "x/../inside", FS_RIGHT_READ);
    expect_true("x/../inside stays inside", inside > 0);
    expect("close inside", fs_close((uint32_t)inside), 0);
    expect("rmdir its own directory", fs_rmdir((uint32_t)sub, "."), -E_INVAL);
    expect("close sub", fs_close((uint32_t)sub), 0);
}

static void test_rights(long big)
{
    char buf[4];
    long ro = fs_open(ROOT, "data/big", FS_RIGHT_READ);
    expect("read with a read-only handle", fs_read((uint32_t)ro, 0, buf, 4), 4);
    expect("write with a read-only handle", fs_write((uint32_t)ro, 0, "x", 1), -E_PERM);
    expect("big write with a read-only handle", fs_write((uint32_t)ro, 0, big_out, 100000),
           -E_PERM);
    expect("truncate with a read-only handle", fs_truncate((uint32_t)ro, 0), -E_PERM);
    expect("close ro", fs_close((uint32_t)ro), 0);
    long wo = fs_open(ROOT, "data/big", FS_RIGHT_WRITE);
    expect("read with a write-only handle", fs_read((uint32_t)wo, 0, buf, 4), -E_PERM);
    expect("close wo", fs_close((uint32_t)wo), 0);

    /* A read-only directory grants nothing more below it. */
    long ro_root = fs_open(ROOT, ".", FS_O_DIRECTORY | FS_RIGHT_READ);
    expect("read-only root's rights", stat_of((uint32_t)ro_root).rights, FS_RIGHT_READ);
    expect("open for writing from it", fs_open((uint32_t)ro_root, "data/big", RW), -E_PERM);
    expect("open for admin from it",
           fs_open((uint32_t)ro_root, "data/big", FS_RIGHT_READ | FS_RIGHT_ADMIN), -E_PERM);
    expect("create from it", fs_open((uint32_t)ro_root, "data/new", FS_O_CREATE | FS_RIGHT_READ),
           -E_PERM);
    expect("mkdir from it", fs_mkdir((uint32_t)ro_root, "data/new", 0), -E_PERM);
    expect("unlink from it", fs_unlink((uint32_t)ro_root, "data/big"), -E_PERM);
    expect("rename from it", fs_rename((uint32_t)ro_root, "data/big", ROOT, "big"), -E_PERM);
    expect("rename into it", fs_rename(ROOT, "data/big", (uint32_t)ro_root, "big"), -E_PERM);
    long via = fs_open((uint32_t)ro_root, "data/big", FS_RIGHT_READ);
    expect("read through it", fs_read((uint32_t)via, 0, buf, 4), 4);
    expect("close via", fs_close((uint32_t)via), 0);
    expect("close ro_root", fs_close((uint32_t)ro_root), 0);

    expect("no rights asked", fs_open(ROOT, "data/big", 0), -E_INVAL);
    expect("unknown flags", fs_open(ROOT, "data/big", FS_RIGHT_READ | 0x10000), -E_INVAL);
    expect("a file is not a directory", fs_open((uint32_t)big, "x", FS_RIGHT_READ), -E_NOTDIR);
    expect("readdir of a file", fs_readdir((uint32_t)big, 0, &(struct fs_dirent){0}), -E_NOTDIR);
    expect("read a directory", fs_read(ROOT, 0, buf, 4), -E_ISDIR);
    expect("empty path", fs_open(ROOT, "", FS_RIGHT_READ), -E_INVAL);
    char name[300];
    memset(name, 'n', sizeof(name));
    name[256] = '\0';
    expect("a 256-byte name", fs_open(ROOT, name, FS_O_CREATE | RW), -E_RANGE);
    char path[200] = "";
    for (int i = 0; i < 40; i++)
        strcat(path, "./");
    strcat(path, "data/big"); /* too long to go inline: the path travels in a region */
    long far = fs_open(ROOT, path, FS_RIGHT_READ);
    expect_true("open a long path", far > 0);
    expect("close it", fs_close((uint32_t)far), 0);
}

/* Handles that name nothing: never given, closed, or left over from a closed object. */
static void test_bad_handles(void)
{
    struct fs_stat st;
    expect("stat handle 0", fs_stat(0, &st), -E_BADHANDLE);
    expect("stat handle 60", fs_stat(60, &st), -E_BADHANDLE);
    long h = fs_open(ROOT, "data/big", FS_RIGHT_READ);
    long copy = handle_dup((uint32_t)h, RIGHT_SEND);
    expect_true("dup", copy > 0);
    expect("stat through the copy", fs_stat((uint32_t)copy, &st), 0);
    expect("close", fs_close((uint32_t)h), 0);
    expect("the handle is gone", handle_info((uint32_t)h), -E_BADHANDLE);
    expect("stat through the copy after close", fs_stat((uint32_t)copy, &st), -E_BADHANDLE);
    long again = fs_open(ROOT, "data/big", FS_RIGHT_READ); /* may reuse the object's slot */
    expect("the copy still reaches nothing", fs_stat((uint32_t)copy, &st), -E_BADHANDLE);
    expect("close the copy", fs_close((uint32_t)copy), -E_BADHANDLE);
    expect("close again", fs_close((uint32_t)again), 0);
    expect("close a handle that never was", fs_close(60), -E_BADHANDLE);
}

/* Requests the library never sends: refused, and the server goes on. */
static void test_malformed(long big)
{
    struct ipc_msg reply;
    struct ipc_msg write = {.tag = FS_WRITE, .w = {0, 1000}};
    expect("a write whose bytes are missing",
           ipc_request((uint32_t)big, &write, &reply, IPC_FOREVER, NULL), -E_INVAL);
    write.w[1] = FS_IO_MAX + 1;
    expect("a write over FS_IO_MAX", ipc_request((uint32_t)big, &write, &reply, IPC_FOREVER, NULL),
           -E_RANGE);
    struct ipc_msg open = {.tag = FS_OPEN, .w = {FS_PATH_WORD(100, 0, FS_RIGHT_READ)}};
    expect("an open whose path is missing", ipc_request(ROOT, &open, &reply, IPC_FOREVER, NULL),
           -E_INVAL);
    open.w[0] = FS_PATH_WORD(4, 0, FS_RIGHT_READ);
    memcpy(&open.w[1], "data", 4);
    expect("an open with no room for the handle",
           ipc_request(ROOT, &open, &reply, IPC_FOREVER, NULL), -E_NOSPC);
    struct ipc_msg unknown = {.tag = PARLEY_TAG(PROTO_FS, 0x77)};
    expect("an unknown request", ipc_request(ROOT, &unknown, &reply, IPC_FOREVER, NULL), -E_NOSYS);
    struct ipc_msg unlink = {.tag = FS_UNLINK, .w = {4 | 1ull << 40}};
    memcpy(&unlink.w[1], "data", 4);
    expect("an unlink with stray bits", ipc_request(ROOT, &unlink, &reply, IPC_FOREVER, NULL),
           -E_INVAL);
    expect("the server still answers", (long)stat_of((uint32_t)big).type, FS_TYPE_FILE);
}

/* An open file outlives its name. */
static void test_unlinked_open_file(void)
{
    long f = fs_open(ROOT, "data/doomed", FS_O_CREATE | RW);
    expect("write doomed", fs_write((uint32_t)f, 0, "still", 5), 5);
    expect("unlink doomed", fs_unlink(ROOT, "data/doomed"), 0);
    char buf[8];
    expect("read after unlink", fs_read((uint32_t)f, 0, buf, 8), 5);
    expect_true("its bytes", memcmp(buf, "still", 5) == 0);
    expect("close doomed", fs_close((uint32_t)f), 0);
}

static unsigned long mib_per_s(uint64_t ns)
{
    return ns == 0 ? 0 : (unsigned long)(1000000000ull / ns);
}

int main(void)
{
    test_name = "fstest";
    struct timing write, read;
    test_root();
    long big = test_big_file(&write, &read);
    test_small_io();
    test_truncate_and_times(big);
    test_listing_and_rename();
    test_confinement();
    test_rights(big);
    test_bad_handles();
    test_malformed(big);
    test_unlinked_open_file();

    uint8_t small[4];
    uint64_t ns = time_now_ns(), tsc = rdtsc();
    for (int i = 0; i < SMALL_READS; i++)
        fs_read((uint32_t)big, 0, small, sizeof(small));
    ns = (time_now_ns() - ns) / SMALL_READS;
    tsc = (rdtsc() - tsc) / SMALL_READS;
    expect("close big", fs_close((uint32_t)big), 0);

    printf("fstest: 1 MiB written in %lu us (%lu MiB/s, %lu tsc), read in %lu us (%lu MiB/s, %lu "
           "tsc), best of %d\n",
           (unsigned long)(write.ns / 1000), mib_per_s(write.ns), (unsigned long)write.tsc,
           (unsigned long)(read.ns / 1000), mib_per_s(read.ns), (unsigned long)read.tsc, ROUNDS);
    printf("fstest: a 4-byte read takes %lu ns (%lu tsc), mean of %d\n", (unsigned long)ns,
           (unsigned long)tsc, SMALL_READS);
    printf("fstest: %d checks, %d failed\n", test_checks, test_failures);
    return test_failures == 0 ? 0 : 1;
}
