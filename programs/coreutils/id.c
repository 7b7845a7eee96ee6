/* id: "uid=1000(alice)", from the environment's UID and USER. */
#include <stdio.h>

#include "common.h"

int main(void)
{
    util_start("id");
    printf("uid=%u(%s)\n", (unsigned)util_uid(), util_env("USER", "root"));
    return 0;
}
