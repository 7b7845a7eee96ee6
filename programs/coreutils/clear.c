/* clear: erases the terminal and puts the cursor at the top left. */
#include <stdio.h>

#include "common.h"

int main(void)
{
    util_start("clear");
    printf("\033[2J\033[H");
    return 0;
}
