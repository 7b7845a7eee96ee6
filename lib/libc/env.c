/*
 * The environment of <stdlib.h>: environ, getenv, setenv and unsetenv.
 *
 * environ starts as the kernel's block on the initial stack (crt0 sets
 * it). The first change copies the pointer array into the heap, so
 * later ones can grow or shrink it; strings set here are copied too, and
 * a replaced one is simply left behind (environments are small and
 * change rarely), since someone may still hold a pointer from getenv.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

char **environ;

static bool environ_owned; /* environ points into the heap */

static bool name_ok(const char *name)
{
    return name != NULL && name[0] != '\0' && strchr(name, '=') == NULL;
}

/* The index of NAME's entry, or -1. */
static long find(const char *name)
{
    size_t n = strlen(name);
    for (long i = 0; environ != NULL && environ[i] != NULL; i++)
        if (strncmp(environ[i], name, n) == 0 && environ[i][n] == '=')
            return i;
    return -1;
}

static size_t count(void)
{
    size_t n = 0;
    while (environ != NULL && environ[n] != NULL)
        n++;
    return n;
}

/* Makes environ a heap array with room for one more entry. */
static bool make_room(void)
{
    size_t n = count();
    char **copy = environ_owned ? realloc(environ, (n + 2) * sizeof(char *))
                                : malloc((n + 2) * sizeof(char *));
    if (copy == NULL)
        return false;
    if (!environ_owned && n > 0)
        memcpy(copy, environ, n * sizeof(char *));
    copy[n] = NULL;
    environ = copy;
    environ_owned = true;
    return true;
}

char *getenv(const char *name)
{
    if (!name_ok(name))
        return NULL;
    long i = find(name);
    return i < 0 ? NULL : environ[i] + strlen(name) + 1;
}

int setenv(const char *name, const char *value, int overwrite)
{
    if (!name_ok(name) || value == NULL)
        return -1;
    long i = find(name);
    if (i >= 0 && !overwrite)
        return 0;
    size_t name_length = strlen(name), value_length = strlen(value);
    char *entry = malloc(name_length + 1 + value_length + 1);
    if (entry == NULL || !make_room()) {
        free(entry);
        return -1;
    }
    memcpy(entry, name, name_length);
    entry[name_length] = '=';
    memcpy(entry + name_length + 1, value, value_length + 1);
    if (i >= 0) {
        environ[i] = entry;
    } else {
        size_t n = count();
        environ[n] = entry;
        environ[n + 1] = NULL;
    }
    return 0;
}

int unsetenv(const char *name)
{
    if (!name_ok(name))
        return -1;
    long i = find(name);
    if (i < 0)
        return 0;
    if (!make_room())
        return -1;
    for (; environ[i] != NULL; i++)
        environ[i] = environ[i + 1];
    return 0;
}
