/*
 * passwd: changes a password. `passwd` changes your own (it asks for the
 * old one, then the new one twice); root may name anyone, `passwd NAME`,
 * and is not asked for the old password. The auth server decides what is
 * allowed from the badge of handle 4 (your uid), so this program cannot
 * be talked into more: USER only tells it whose name to send.
 *
 * Handles (docs/files-and-users.md): 1 and 2 the console (read and
 * write), 4 auth. Passwords are read with CONSOLE_NO_ECHO.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/console.h>
#include <parley/errors.h>
#include <parley/sys.h>

#include "../login/auth_client.h"

#define HANDLE_IN 1
#define HANDLE_OUT 2
#define HANDLE_AUTH 4
#define AUTH_FILE_MAX_TEXT "64 KiB" /* AUTH_FILE_MAX, for the message */

static char old_password[AUTH_PASSWORD_MAX + 2];
static char new_password[AUTH_PASSWORD_MAX + 2];
static char again[AUTH_PASSWORD_MAX + 2];

static void wipe(void)
{
    memset(old_password, 0, sizeof(old_password));
    memset(new_password, 0, sizeof(new_password));
    memset(again, 0, sizeof(again));
}

/* Asks for a password without echo; false if none came. */
static bool ask(const char *prompt, char *buf, size_t size)
{
    console_printf(HANDLE_OUT, "%s", prompt);
    long n = console_read_line(HANDLE_IN, buf, size, CONSOLE_NO_ECHO);
    if (n < 0) {
        if (n != -E_INTR && n != -E_CLOSED) /* Ctrl-C, Ctrl-D: the caller says enough */
            console_printf(HANDLE_OUT, "passwd: %s\n", error_string((int)n));
        return false;
    }
    if ((size_t)n > AUTH_PASSWORD_MAX) {
        console_printf(HANDLE_OUT, "passwd: at most %d characters\n", AUTH_PASSWORD_MAX);
        return false;
    }
    return true;
}

static int fail(const char *text)
{
    wipe();
    console_printf(HANDLE_OUT, "passwd: %s\n", text);
    return 1;
}

int main(int argc, char **argv)
{
    const char *uid_text = getenv("UID");
    const char *user = getenv("USER");
    bool root = uid_text != NULL && strcmp(uid_text, "0") == 0;
    if (argc > 2 || (argc == 2 && argv[1][0] == '-'))
        return fail("usage: passwd [NAME]");
    const char *name = argc == 2 ? argv[1] : user;
    if (name == NULL || name[0] == '\0')
        return fail("who are you? (no USER in the environment)");
    bool own = user != NULL && strcmp(name, user) == 0;
    if (!root && !own)
        return fail("only root may change another user's password");

    console_printf(HANDLE_OUT, "Changing the password of %s\n", name);
    if (!root && !ask("Old password: ", old_password, sizeof(old_password)))
        return fail("password unchanged");
    if (!ask("New password: ", new_password, sizeof(new_password)) ||
        !ask("Retype new password: ", again, sizeof(again)))
        return fail("password unchanged");
    if (strcmp(new_password, again) != 0)
        return fail("the passwords do not match; password unchanged");
    if (new_password[0] == '\0')
        return fail("an empty password is not allowed; password unchanged");

    long err = auth_passwd(HANDLE_AUTH, name, old_password, new_password);
    wipe();
    if (err == -E_PERM)
        return fail(root ? "not allowed" : "authentication failed; password unchanged");
    if (err == -E_NOENT)
        return fail("no such user");
    if (err == -E_2BIG)
        return fail("the account files are larger than auth reads (" AUTH_FILE_MAX_TEXT
                    "); password unchanged");
    if (err == -E_AGAIN)
        return fail("another request of yours is still being checked; try again");
    if (err < 0) {
        console_printf(HANDLE_OUT, "passwd: %s\n", error_string((int)err));
        return 1;
    }
    console_printf(HANDLE_OUT, "passwd: password changed\n");
    return 0;
}
