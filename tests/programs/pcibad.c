/*
 * Sends the PCI server requests it must refuse, wired as pcibad@use:pci
 * (handle 1): an index past the end of the list, BAR 7, a configuration
 * offset of 300, a width of 3, a misaligned read, an unknown tag. Each
 * must come back as an error reply (not a dead server, which would show
 * as -E_CLOSED), and afterwards the server must still answer good
 * requests (find the RTL8139, switch on its bus mastering). Exits 0 when
 * every answer was the expected one.
 */
#include <parley/errors.h>
#include <parley/ipc_lib.h>
#include <parley/proto/pci.h>
#include <stdio.h>

#define PCI 1
#define TIMEOUT_NS 10000000000ull

static int failures;

/* Sends tag with the words and checks the status is `expected`. */
static void expect(const char *what, uint64_t tag, uint64_t w0, uint64_t w1, uint64_t w2,
                   long expected)
{
    struct ipc_msg request = {.tag = tag, .w = {w0, w1, w2, 0}}, reply;
    long status = ipc_request(PCI, &request, &reply, TIMEOUT_NS, NULL);

    printf("pcibad: %s -> %ld (%s)\n", what, status, error_string((int)status));
    if (status != expected) {
        failures++;
        printf("pcibad: FAIL %s: expected %ld\n", what, expected);
    }
}

/*
 * Good requests after the bad ones, on QEMU's RTL8139: found by IDs and
 * by class, and bus mastering switched on (command register bits 0-2).
 */
static void good_requests(void)
{
    struct ipc_msg by_id, by_class, command;
    struct ipc_msg find = {.tag = PCI_FIND, .w = {0x10EC, 0x8139, 0, 0}};
    struct ipc_msg find_class = {.tag = PCI_FIND_CLASS, .w = {0x02, 0x00, 0, 0}};

    if (ipc_request(PCI, &find, &by_id, TIMEOUT_NS, NULL) != 0 ||
        ipc_request(PCI, &find_class, &by_class, TIMEOUT_NS, NULL) != 0 ||
        by_id.w[0] != by_class.w[0]) {
        failures++;
        printf("pcibad: FAIL finding the RTL8139\n");
        return;
    }
    expect("enable bus master", PCI_ENABLE_BUS_MASTER, by_id.w[0], 0, 0, 0);
    struct ipc_msg read = {.tag = PCI_CONFIG_READ, .w = {by_id.w[0], 0x04, 2, 0}};
    long status = ipc_request(PCI, &read, &command, TIMEOUT_NS, NULL);
    printf("pcibad: command register 0x%lx\n", (unsigned long)command.w[0]);
    if (status != 0 || (command.w[0] & 7) != 7) {
        failures++;
        printf("pcibad: FAIL bus master not enabled\n");
    }
}

int main(void)
{
    struct ipc_msg request = {.tag = PCI_COUNT}, reply;
    long status = ipc_request(PCI, &request, &reply, TIMEOUT_NS, NULL);
    if (status < 0) {
        printf("pcibad: FAIL count: %s\n", error_string((int)status));
        return 1;
    }
    uint64_t count = reply.w[0];

    expect("info past the end", PCI_INFO, count, 0, 0, -E_NOENT);
    expect("info at a huge index", PCI_INFO, UINT64_MAX, 0, 0, -E_NOENT);
    expect("bar past the end", PCI_BAR, count, 0, 0, -E_NOENT);
    expect("bar 7", PCI_BAR, 0, 7, 0, -E_INVAL);
    expect("bar 6", PCI_BAR, 0, 6, 0, -E_INVAL);
    expect("config offset 300", PCI_CONFIG_READ, 0, 300, 4, -E_INVAL);
    expect("config width 3", PCI_CONFIG_READ, 0, 0, 3, -E_INVAL);
    expect("config width 0", PCI_CONFIG_READ, 0, 0, 0, -E_INVAL);
    expect("config misaligned", PCI_CONFIG_READ, 0, 2, 4, -E_INVAL);
    expect("config past the end", PCI_CONFIG_READ, count, 0, 4, -E_NOENT);
    expect("enable past the end", PCI_ENABLE_BUS_MASTER, count, 0, 0, -E_NOENT);
    expect("find nothing", PCI_FIND, 0x1234, 0x5678, 0, -E_NOENT);
    expect("find from past the end", PCI_FIND, PCI_ANY, PCI_ANY, count, -E_NOENT);
    expect("find class nothing", PCI_FIND_CLASS, 0x42, PCI_ANY, 0, -E_NOENT);
    expect("unknown tag", PARLEY_TAG(PROTO_PCI, 0x99), 0, 0, 0, -E_NOSYS);
    /* The server is still there and still right. */
    expect("config vendor", PCI_CONFIG_READ, 0, 0, 2, 0);
    expect("count again", PCI_COUNT, 0, 0, 0, 0);
    good_requests();

    printf("pcibad: %d failed\n", failures);
    return failures == 0 ? 0 : 1;
}
