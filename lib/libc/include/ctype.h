/*
 * Character classes for ASCII. Every function takes an unsigned char value
 * or EOF; anything outside ASCII belongs to no class and is not changed by
 * toupper or tolower.
 */
#ifndef PARLEY_LIBC_CTYPE_H
#define PARLEY_LIBC_CTYPE_H

int isdigit(int c);
int isalpha(int c);
int isalnum(int c);
int isspace(int c);
int isupper(int c);
int islower(int c);
int isxdigit(int c);
int isprint(int c);
int ispunct(int c);
int iscntrl(int c);
int toupper(int c);
int tolower(int c);

#endif
