/*
 * Exercises demand paging through malloc: allocates and touches 32 MiB
 * in pieces, checks every byte, frees it, and reports the pages the
 * kernel says it used.
 */
#include <parley/sys.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    enum { PIECES = 32, PIECE = 1 << 20 };
    static unsigned char *pieces[PIECES];
    struct sysinfo before, during;
    sys_sysinfo(&before);
    for (int i = 0; i < PIECES; i++) {
        pieces[i] = malloc(PIECE);
        if (pieces[i] == NULL) {
            printf("memory: malloc failed at piece %d\n", i);
            return 1;
        }
        memset(pieces[i], i + 1, PIECE);
    }
    sys_sysinfo(&during);
    for (int i = 0; i < PIECES; i++)
        for (int j = 0; j < PIECE; j += 4096)
            if (pieces[i][j] != (unsigned char)(i + 1)) {
                printf("memory: piece %d corrupted\n", i);
                return 1;
            }
    for (int i = 0; i < PIECES; i++)
        free(pieces[i]);
    unsigned long used = (unsigned long)(before.frames_free - during.frames_free);
    printf("memory: 32 MiB touched, %lu frames used, ok\n", used);
    /* 32 MiB is 8192 frames; other programs may free memory meanwhile, so allow slack. */
    return used >= 4096 ? 0 : 1;
}
