/* echo [-n] [WORD...]: prints the words separated by spaces, then a newline unless -n. */
#include <stdio.h>
#include <string.h>

#include "common.h"

int main(int argc, char **argv)
{
    util_start("echo");
    int first = 1;
    bool newline = true;
    if (argc > 1 && strcmp(argv[1], "-n") == 0) {
        newline = false;
        first = 2;
    }
    for (int i = first; i < argc; i++)
        printf("%s%s", i > first ? " " : "", argv[i]);
    if (newline)
        printf("\n");
    return 0;
}
