/*
 * ASCII character classes, written as range tests so each reads like its
 * definition in the C standard's "C" locale. Values outside 0..127,
 * including EOF, are in no class.
 */
#include <ctype.h>

int isdigit(int c)
{
    return c >= '0' && c <= '9';
}

int isupper(int c)
{
    return c >= 'A' && c <= 'Z';
}

int islower(int c)
{
    return c >= 'a' && c <= 'z';
}

int isalpha(int c)
{
    return isupper(c) || islower(c);
}

int isalnum(int c)
{
    return isalpha(c) || isdigit(c);
}

int isxdigit(int c)
{
    return isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Space, \t, \n, \v, \f and \r. */
int isspace(int c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* The control characters are 0..31 and DEL. */
int iscntrl(int c)
{
    return (c >= 0 && c < ' ') || c == 127;
}

/* Printing characters: space through '~'. */
int isprint(int c)
{
    return c >= ' ' && c <= '~';
}

/* Printing characters other than space, letters and digits. */
int ispunct(int c)
{
    return c > ' ' && c <= '~' && !isalnum(c);
}

int toupper(int c)
{
    return islower(c) ? c - 'a' + 'A' : c;
}

int tolower(int c)
{
    return isupper(c) ? c - 'A' + 'a' : c;
}
