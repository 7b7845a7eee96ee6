"""tools/web's bridge between a browser and Parley machines under QEMU.

One module per concern (docs/web-console.md): qmp (QEMU's control
protocol), machine (one QEMU and its serial lines), screen (the VGA text
buffer), keys (browser keys to QEMU key codes), hoststats (the guest's
statistics report), livetrace (the IPC trace as it arrives, parsed by
tools/ipctrace_lib) and server (the web server and the machine pool).
"""
