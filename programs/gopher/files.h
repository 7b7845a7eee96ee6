/*
 * gopher's files: documents and downloads saved under a name the user
 * gives, and the bookmarks file. A relative name is taken against PWD,
 * or against HOME when there is no PWD (a program started by init has
 * neither, and then "/"), through the namespace (<parley/file.h>).
 *
 * The bookmarks file, $HOME/.gopher-bookmarks, is itself a gopher menu:
 * one item line, TYPE TITLE \t SELECTOR \t HOST \t PORT, per bookmark,
 * so showing it is showing a menu, and it can be edited with `edit`.
 */
#ifndef PARLEY_GOPHER_FILES_H
#define PARLEY_GOPHER_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "url.h"

/* Opens name to be written from the start, making it if need be; returns the handle. */
long save_open(const char *name);

/* Removes name again (after a download that got nothing). */
void save_remove(const char *name);

/* Writes len bytes of data to name, replacing what it held; returns 0 or an error. */
long save_file(const char *name, const char *data, size_t len);

/* The bookmarks file's path, or NULL when HOME is not set. */
const char *bookmarks_path(void);

/* Reads the bookmarks file (malloc'd, NUL after it); -E_NOENT when there is none yet. */
long bookmarks_read(char **data, size_t *len);

/* Appends a bookmark for addr called title; a search keeps its item, not the query. */
long bookmarks_add(const struct gopher_addr *addr, const char *title);

#endif
