/* Spins forever without reading anything: only Ctrl-C (the shell's interrupt) stops it. */
int main(void)
{
    for (volatile unsigned long i = 0;; i++)
        ;
}
