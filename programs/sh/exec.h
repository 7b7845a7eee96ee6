/*
 * Running a parsed pipeline: builtins inside the shell, other commands as
 * programs found through PATH, with their standard input and output
 * connected to the console, to files (<, >, >>) or to pipes (|).
 */
#ifndef PARLEY_SH_EXEC_H
#define PARLEY_SH_EXEC_H

#include "parse.h"
#include "shell.h"

/*
 * Runs every command of p and waits for all of them; returns the status
 * of the last one ($?): its exit status, 127 when it was not found, 126
 * when it could not be started, 1 when a redirection failed.
 */
int exec_pipeline(struct shell *sh, const struct sh_pipeline *p);

/*
 * Stops the pipeline in the foreground (kills every stage still running);
 * called from the interrupt thread when Ctrl-C is pressed while a program
 * runs that does not read the console itself.
 */
void exec_interrupt(void);

#endif
