/* Does nothing and exits 0: the smallest program, for spawn/exit cycles. */
int main(void)
{
    return 0;
}
