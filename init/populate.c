/*
 * Filling the ramdisk at boot (populate.h). The boot image is the only
 * place files come from until something writes them, so init copies it
 * whole: bin/ (mode 0755), etc/ (0644, but etc/shadow 0600), all owned by
 * root. Then the tree the accounts need: /tmp (world-writable, sticky)
 * and, for each line "name:uid:home:shell" of etc/passwd, home (mode
 * 0700) owned by uid, with /home itself 0755. The ramdisk stores owners
 * and modes; the namespaces login builds are what enforce them.
 */
#include "populate.h"

#include <parley/errors.h>
#include <parley/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cpio.h"

#define MODE_SHADOW 0600u
#define MODE_HOME 0700u
#define MODE_TMP 01777u

/* Makes directory path (and any missing parents) and sets its owner and mode. */
static long make_directory(uint32_t root, const char *path, uint32_t uid, uint32_t mode)
{
    char partial[FS_PATH_MAX + 1];
    size_t length = strlen(path);
    if (length > FS_PATH_MAX)
        return -E_RANGE;
    for (size_t i = 1; i <= length; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        memcpy(partial, path, i);
        partial[i] = '\0';
        long err = fs_mkdir(root, partial, 0);
        if (err < 0 && err != -E_EXIST)
            return err;
    }
    long dir = fs_open(root, path, FS_O_DIRECTORY | FS_RIGHT_ADMIN);
    if (dir < 0)
        return dir;
    long err = fs_setowner((uint32_t)dir, uid, mode);
    fs_close((uint32_t)dir);
    return err;
}

/* Copies one regular file of the boot image. */
static long copy_file(uint32_t root, const struct cpio_entry *entry)
{
    uint32_t mode = strcmp(entry->name, "etc/shadow") == 0 ? MODE_SHADOW : entry->mode & 0777;
    long file =
        fs_open(root, entry->name, FS_O_CREATE | FS_O_TRUNC | FS_RIGHT_WRITE | FS_RIGHT_ADMIN);
    if (file < 0)
        return file;
    long err = entry->size > 0 ? fs_write((uint32_t)file, 0, entry->data, entry->size) : 0;
    if (err >= 0)
        err = fs_setowner((uint32_t)file, 0, mode);
    fs_close((uint32_t)file);
    return err < 0 ? err : 0;
}

/* /tmp, /home and a home directory for each account of etc/passwd. */
static long make_homes(const struct boot_image *image, uint32_t root)
{
    long err = make_directory(root, "/tmp", 0, MODE_TMP);
    if (err == 0)
        err = make_directory(root, "/home", 0, FS_MODE_DIR_DEFAULT);
    struct cpio_entry passwd;
    if (err < 0 || cpio_find(image->data, image->size, "etc/passwd", &passwd) < 0)
        return err;
    const char *text = passwd.data, *end = text + passwd.size;
    while (text < end && err == 0) {
        const char *eol = memchr(text, '\n', (size_t)(end - text));
        if (eol == NULL)
            eol = end;
        char line[256], home[128];
        unsigned long uid;
        snprintf(line, sizeof(line), "%.*s", (int)(eol - text), text);
        char *colon = strchr(line, ':');
        char *uid_end = NULL;
        uid = colon != NULL ? strtoul(colon + 1, &uid_end, 10) : 0;
        if (uid_end != NULL && *uid_end == ':' && uid_end[1] == '/') {
            snprintf(home, sizeof(home), "%.*s", (int)strcspn(uid_end + 1, ":"), uid_end + 1);
            err = make_directory(root, home, (uint32_t)uid, MODE_HOME);
            if (err < 0)
                printf("init: cannot make %s: %s\n", home, strerror((int)err));
        }
        text = eol + 1;
    }
    return err;
}

long populate_ramdisk(const struct boot_image *image, uint32_t root)
{
    size_t offset = 0;
    struct cpio_entry entry;
    int files = 0, got;
    long err = 0;
    while (err == 0 && (got = cpio_next(image->data, image->size, &offset, &entry)) > 0) {
        uint32_t type = entry.mode & CPIO_MODE_TYPE_MASK;
        if (type == CPIO_MODE_DIRECTORY) {
            char path[FS_PATH_MAX + 2];
            snprintf(path, sizeof(path), "/%s", entry.name);
            err = make_directory(root, path, 0, entry.mode & 0777);
        } else if (type == CPIO_MODE_REGULAR) {
            err = copy_file(root, &entry);
            files++;
        }
        if (err < 0)
            printf("init: cannot copy %s to the ramdisk: %s\n", entry.name, strerror((int)err));
    }
    if (err == 0)
        err = make_homes(image, root);
    if (err == 0)
        printf("init: ramdisk populated: %d files from the boot image, homes and /tmp\n", files);
    return err;
}
