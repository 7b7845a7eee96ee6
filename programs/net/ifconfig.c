/*
 * ifconfig: shows the network interface as the TCP/IP server describes
 * it in /net/if ("key value" lines, <parley/proto/net.h>):
 *
 *   net0: link up  mtu 1500
 *     inet 10.0.2.15  netmask 255.255.255.0  gateway 10.0.2.2
 *     dns 10.0.2.2
 *     ether 52:54:00:12:34:56
 *     RX packets 12  bytes 3456  errors 0  dropped 0  missed 0
 *     TX packets 10  bytes 789  errors 0
 *
 * There is one interface, net0. A key the file does not have is left
 * out, and a line with none of its keys is not printed; keys ifconfig
 * does not know are ignored. Without /net in the namespace it says
 * "ifconfig: /net: no such file or directory" and exits 1.
 */
#include <stdio.h>
#include <string.h>

#include <parley/errors.h>
#include <parley/file.h>

#include "tool.h"

#define IF_TEXT_MAX 4096
#define VALUE_MAX 64

/* One piece of an output line: the label printed and the /net/if key it shows. */
struct field {
    const char *label;
    const char *key;
};

/* The output lines after the first, each a prefix and its fields. */
static const struct field inet_line[] = {
    {"inet", "address"}, {"netmask", "netmask"}, {"gateway", "gateway"}, {NULL, NULL}};
static const struct field dns_line[] = {{"dns", "dns"}, {NULL, NULL}};
static const struct field ether_line[] = {{"ether", "mac"}, {NULL, NULL}};
static const struct field rx_line[] = {{"RX packets", "rx_packets"}, {"bytes", "rx_bytes"},
                                       {"errors", "rx_errors"},      {"dropped", "rx_dropped"},
                                       {"missed", "rx_missed"},      {NULL, NULL}};
static const struct field tx_line[] = {
    {"TX packets", "tx_packets"}, {"bytes", "tx_bytes"}, {"errors", "tx_errors"}, {NULL, NULL}};

static char text[IF_TEXT_MAX + 1];
static size_t text_len;

/* Reads /net/if into text; returns 0 or the error. */
static long read_if(void)
{
    long file = ns_open("/net/if", FS_RIGHT_READ);
    if (file < 0)
        return file;
    long err = 0;
    while (text_len < IF_TEXT_MAX) {
        long n = file_read((uint32_t)file, text_len, text + text_len, IF_TEXT_MAX - text_len);
        if (n <= 0) {
            err = n;
            break;
        }
        text_len += (size_t)n;
    }
    file_close((uint32_t)file);
    text[text_len] = '\0';
    return err;
}

/*
 * The value of key in text, copied into out; false if there is no line
 * "key value". The value is the rest of the line, spaces trimmed.
 */
static bool lookup(const char *key, char out[VALUE_MAX])
{
    size_t key_len = strlen(key);
    for (const char *line = text; line < text + text_len;) {
        const char *end = memchr(line, '\n', (size_t)(text + text_len - line));
        if (end == NULL)
            end = text + text_len;
        if ((size_t)(end - line) > key_len && memcmp(line, key, key_len) == 0 &&
            (line[key_len] == ' ' || line[key_len] == '\t')) {
            const char *value = line + key_len;
            while (value < end && (*value == ' ' || *value == '\t'))
                value++;
            const char *stop = end;
            while (stop > value && (stop[-1] == ' ' || stop[-1] == '\t' || stop[-1] == '\r'))
                stop--;
            size_t n = (size_t)(stop - value);
            if (n >= VALUE_MAX)
                n = VALUE_MAX - 1;
            memcpy(out, value, n);
            out[n] = '\0';
            return n > 0;
        }
        line = end + 1;
    }
    return false;
}

/* Prints the fields that have values, after prefix, two spaces apart; nothing if none has. */
static void print_line(const char *prefix, const struct field *fields)
{
    char value[VALUE_MAX];
    bool any = false;
    for (const struct field *f = fields; f->label != NULL; f++) {
        if (!lookup(f->key, value))
            continue;
        printf("%s%s %s", any ? "  " : prefix, f->label, value);
        any = true;
    }
    if (any)
        printf("\n");
}

int main(int argc, char **argv)
{
    (void)argv;
    tool_start("ifconfig");
    if (argc > 1)
        return tool_usage("");
    long err = read_if();
    if (err < 0)
        return tool_net_fail("/net/if", err);

    static const struct field first_line[] = {{"link", "link"}, {"mtu", "mtu"}, {NULL, NULL}};
    char value[VALUE_MAX];
    if (lookup("link", value) || lookup("mtu", value))
        print_line("net0: ", first_line);
    else
        printf("net0:\n");
    print_line("  ", inet_line);
    print_line("  ", dns_line);
    print_line("  ", ether_line);
    print_line("  ", rx_line);
    print_line("  ", tx_line);
    return 0;
}
