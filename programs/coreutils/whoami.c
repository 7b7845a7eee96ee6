/* whoami: the user name from the environment (USER; root without one). */
#include <stdio.h>

#include "common.h"

int main(void)
{
    util_start("whoami");
    printf("%s\n", util_env("USER", "root"));
    return 0;
}
