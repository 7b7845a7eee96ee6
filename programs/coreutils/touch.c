/* touch FILE...: makes each file that does not exist yet, empty. */
#include "common.h"

int main(int argc, char **argv)
{
    util_start("touch");
    if (argc < 2)
        return util_usage("usage: touch FILE...");
    int status = 0;
    for (int i = 1; i < argc; i++) {
        long handle = ns_open(argv[i], FS_RIGHT_WRITE | FS_O_CREATE);
        if (handle < 0)
            status = util_fail(argv[i], handle);
        else
            file_close((uint32_t)handle);
    }
    return status;
}
