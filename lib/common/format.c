/*
 * The kernel's printf engine. Each conversion is parsed into a struct spec
 * (flags, width, precision, length, conversion letter) and then emitted
 * through a small output cursor that counts every byte but stores only the
 * ones that fit, which is what gives snprintf its "length it would have
 * had" return value without a second pass.
 *
 * Integers are converted to digits right to left in a small buffer and then
 * laid out as: padding, sign or 0x prefix, precision zeros, digits. Keeping
 * that one layout routine for every integer conversion is what makes the
 * flag combinations agree with the C standard's rules.
 */
#include <stdbool.h>
#include <stdint.h>

#include "common/format.h"

enum length { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z };

struct spec {
    bool left;  /* '-': pad on the right */
    bool zero;  /* '0': pad with zeros after the sign */
    bool space; /* ' ': blank where a '+' would go */
    bool plus;  /* '+': always show the sign */
    bool alt;   /* '#': 0x prefix for hex, leading 0 for octal */
    int width;
    int prec; /* -1 when no precision was given */
    enum length len;
    char conv;
};

/* Output cursor: len counts everything, only bytes below size-1 are stored. */
struct out {
    char *buf;
    size_t size;
    size_t len;
};

static void out_char(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void out_repeat(struct out *o, char c, int n)
{
    for (; n > 0; n--)
        out_char(o, c);
}

static void out_mem(struct out *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out_char(o, s[i]);
}

/* Emits s (n bytes) padded with spaces to the field width. */
static void out_padded(struct out *o, const struct spec *sp, const char *s, size_t n)
{
    int pad = (size_t)sp->width > n ? sp->width - (int)n : 0;

    if (!sp->left)
        out_repeat(o, ' ', pad);
    out_mem(o, s, n);
    if (sp->left)
        out_repeat(o, ' ', pad);
}

/*
 * Lays out one integer. magnitude is the absolute value; negative and
 * is_signed decide which sign character, if any, precedes it.
 */
static void out_integer(struct out *o, const struct spec *sp, uint64_t magnitude, bool negative,
                        bool is_signed, unsigned base)
{
    const char *digit_chars = sp->conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    char digits[24]; /* 64 bits in octal is 22 digits */
    int ndigits = 0;
    char prefix[2];
    int nprefix = 0;

    /* A zero value with precision 0 prints no digits at all (C 7.21.6.1). */
    if (magnitude != 0 || sp->prec != 0) {
        uint64_t v = magnitude;
        do {
            digits[sizeof(digits) - 1 - ndigits++] = digit_chars[v % base];
            v /= base;
        } while (v != 0);
    }

    int zeros = sp->prec > ndigits ? sp->prec - ndigits : 0;

    /* '#' with octal guarantees the first digit printed is a 0. */
    if (sp->alt && base == 8 && zeros == 0 && (ndigits == 0 || magnitude != 0))
        zeros = 1;

    if (is_signed) {
        if (negative)
            prefix[nprefix++] = '-';
        else if (sp->plus)
            prefix[nprefix++] = '+';
        else if (sp->space)
            prefix[nprefix++] = ' ';
    } else if (sp->alt && base == 16 && magnitude != 0) {
        prefix[nprefix++] = '0';
        prefix[nprefix++] = sp->conv == 'X' ? 'X' : 'x';
    }

    int body = nprefix + zeros + ndigits;
    int pad = sp->width > body ? sp->width - body : 0;

    /* The '0' flag is ignored with '-' or an explicit precision. */
    if (sp->left) {
        out_mem(o, prefix, (size_t)nprefix);
        out_repeat(o, '0', zeros);
        out_mem(o, digits + sizeof(digits) - ndigits, (size_t)ndigits);
        out_repeat(o, ' ', pad);
    } else if (sp->zero && sp->prec < 0) {
        out_mem(o, prefix, (size_t)nprefix);
        out_repeat(o, '0', zeros + pad);
        out_mem(o, digits + sizeof(digits) - ndigits, (size_t)ndigits);
    } else {
        out_repeat(o, ' ', pad);
        out_mem(o, prefix, (size_t)nprefix);
        out_repeat(o, '0', zeros);
        out_mem(o, digits + sizeof(digits) - ndigits, (size_t)ndigits);
    }
}

static int64_t arg_signed(va_list *ap, enum length len)
{
    switch (len) {
    case LEN_HH:
        return (signed char)va_arg(*ap, int);
    case LEN_H:
        return (short)va_arg(*ap, int);
    case LEN_L:
        return va_arg(*ap, long);
    case LEN_LL:
        return va_arg(*ap, long long);
    case LEN_Z:
        /* ptrdiff_t is the signed type of size_t's width on our ABIs. */
        return va_arg(*ap, ptrdiff_t);
    default:
        return va_arg(*ap, int);
    }
}

static uint64_t arg_unsigned(va_list *ap, enum length len)
{
    switch (len) {
    case LEN_HH:
        return (unsigned char)va_arg(*ap, unsigned int);
    case LEN_H:
        return (unsigned short)va_arg(*ap, unsigned int);
    case LEN_L:
        return va_arg(*ap, unsigned long);
    case LEN_LL:
        return va_arg(*ap, unsigned long long);
    case LEN_Z:
        return va_arg(*ap, size_t);
    default:
        return va_arg(*ap, unsigned int);
    }
}

/* Reads a decimal number, saturating instead of overflowing int. */
static int parse_number(const char **p)
{
    int n = 0;

    while (**p >= '0' && **p <= '9') {
        int d = **p - '0';
        n = n > (INT32_MAX - d) / 10 ? INT32_MAX : n * 10 + d;
        (*p)++;
    }
    return n;
}

/*
 * Parses the part of a conversion after the '%' up to and including the
 * conversion letter. '*' arguments are consumed here, in the order C
 * specifies (width before precision before the value).
 */
static const char *parse_spec(const char *p, struct spec *sp, va_list *ap)
{
    *sp = (struct spec){.prec = -1};

    for (;; p++) {
        if (*p == '-')
            sp->left = true;
        else if (*p == '0')
            sp->zero = true;
        else if (*p == ' ')
            sp->space = true;
        else if (*p == '+')
            sp->plus = true;
        else if (*p == '#')
            sp->alt = true;
        else
            break;
    }

    if (*p == '*') {
        int w = va_arg(*ap, int);
        p++;
        /* A negative width argument means '-' and its absolute value. */
        if (w < 0) {
            sp->left = true;
            w = w == INT32_MIN ? INT32_MAX : -w;
        }
        sp->width = w;
    } else {
        sp->width = parse_number(&p);
    }

    if (*p == '.') {
        p++;
        if (*p == '*') {
            int pr = va_arg(*ap, int);
            p++;
            sp->prec = pr < 0 ? -1 : pr; /* negative means "no precision" */
        } else {
            sp->prec = parse_number(&p);
        }
    }

    if (*p == 'h') {
        p++;
        sp->len = LEN_H;
        if (*p == 'h') {
            p++;
            sp->len = LEN_HH;
        }
    } else if (*p == 'l') {
        p++;
        sp->len = LEN_L;
        if (*p == 'l') {
            p++;
            sp->len = LEN_LL;
        }
    } else if (*p == 'z') {
        p++;
        sp->len = LEN_Z;
    }

    sp->conv = *p;
    return p;
}

/* Emits one parsed conversion; returns false if the letter is unknown. */
static bool format_one(struct out *o, const struct spec *sp, va_list *ap)
{
    switch (sp->conv) {
    case 'd':
    case 'i': {
        int64_t v = arg_signed(ap, sp->len);
        uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
        out_integer(o, sp, mag, v < 0, true, 10);
        return true;
    }
    case 'u':
        out_integer(o, sp, arg_unsigned(ap, sp->len), false, false, 10);
        return true;
    case 'x':
    case 'X':
        out_integer(o, sp, arg_unsigned(ap, sp->len), false, false, 16);
        return true;
    case 'o':
        out_integer(o, sp, arg_unsigned(ap, sp->len), false, false, 8);
        return true;
    case 'c': {
        char c = (char)va_arg(*ap, int);
        out_padded(o, sp, &c, 1);
        return true;
    }
    case 's': {
        const char *s = va_arg(*ap, const char *);
        size_t n = 0;
        if (s == NULL)
            s = "(null)";
        /* With a precision, s need not be NUL-terminated within it. */
        while ((sp->prec < 0 || n < (size_t)sp->prec) && s[n] != '\0')
            n++;
        out_padded(o, sp, s, n);
        return true;
    }
    case 'p': {
        /* Always the full 16 digits so addresses line up in logs. */
        uint64_t v = (uintptr_t)va_arg(*ap, void *);
        char text[18] = {'0', 'x'};
        for (int i = 17; i >= 2; i--, v >>= 4)
            text[i] = "0123456789abcdef"[v & 0xf];
        out_padded(o, sp, text, sizeof(text));
        return true;
    }
    case '%':
        out_char(o, '%');
        return true;
    default:
        return false;
    }
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = {.buf = buf, .size = size, .len = 0};
    va_list args;

    /* A local copy lets helpers take &args portably (va_list may be an array). */
    va_copy(args, ap);
    while (*fmt != '\0') {
        if (*fmt != '%') {
            out_char(&o, *fmt++);
            continue;
        }

        const char *start = fmt;
        struct spec sp;
        const char *end = parse_spec(fmt + 1, &sp, &args);

        if (*end == '\0') {
            /* A conversion cut off by the end of the string: show it as is. */
            out_mem(&o, start, (size_t)(end - start));
            break;
        }
        if (!format_one(&o, &sp, &args))
            out_mem(&o, start, (size_t)(end + 1 - start));
        fmt = end + 1;
    }
    va_end(args);

    if (size > 0)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return o.len > INT32_MAX ? INT32_MAX : (int)o.len;
}

size_t kvformat(char *buf, size_t size, const char *fmt, va_list ap)
{
    int n = kvsnprintf(buf, size, fmt, ap);
    if (size == 0 || n < 0)
        return 0;
    return (size_t)n < size ? (size_t)n : size - 1;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
