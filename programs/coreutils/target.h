/*
 * The destination of mv and cp: DEST itself, or DEST/NAME when DEST is
 * an existing directory (NAME being the source's last component).
 */
#ifndef PARLEY_COREUTILS_TARGET_H
#define PARLEY_COREUTILS_TARGET_H

#include <stdio.h>

#include "common.h"

/* Fills out with where source goes; false (after a message) if the path is too long. */
static inline bool target_path(const char *source, const char *dest, char out[PATH_BUFFER])
{
    char full[PATH_BUFFER];
    struct fs_stat st;
    if (!util_path(dest, full))
        return false;
    if (ns_stat(full, &st) != 0 || st.type != FS_TYPE_DIR) {
        snprintf(out, PATH_BUFFER, "%s", full);
        return true;
    }
    char source_full[PATH_BUFFER];
    if (!util_path(source, source_full))
        return false;
    return util_child(full, path_basename(source_full), out);
}

#endif
