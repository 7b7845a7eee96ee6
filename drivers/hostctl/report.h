/*
 * report: the statistics lines hostctl sends the bridge on COM2.
 *
 * report_write() asks the kernel for its figures (SYS_SYSINFO) and for
 * every process (SYS_PROC_INFO) and hands each line, without its line
 * ending, to `emit`. The format is in docs/web-console.md.
 */
#ifndef HOSTCTL_REPORT_H
#define HOSTCTL_REPORT_H

#include <stddef.h>

void report_write(void (*emit)(const char *line, size_t length));

#endif
