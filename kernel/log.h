/*
 * The kernel log: one line per call, on COM1 and, during early boot, on
 * the screen. Format (tests rely on it, see docs/architecture.md):
 *   [    0.001234] info  message
 */
#ifndef LOG_H
#define LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_PANIC };

void log_printf(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Writes text to the log without a timestamp or level (register dumps). */
void log_raw(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Lines at this level or above also go to the VGA screen; LOG_PANIC+1 turns that off. */
void log_set_screen_level(enum log_level level);

#define log_debug(...) log_printf(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_printf(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_printf(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_printf(LOG_ERROR, __VA_ARGS__)

#endif
