/*
 * The first Parley user program: proves that a program built with
 * parley_user_program starts at _start with its arguments in place, that
 * printf reaches the log, and that returning from main ends the process.
 */
#include <stdio.h>

int main(int argc, char **argv)
{
    printf("hello from user space: argc=%d argv[0]=%s\n", argc, argc > 0 ? argv[0] : "(none)");
    return 0;
}
