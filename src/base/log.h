/*
 * log.h - leveled logging to stderr.
 *
 * LOG() checks the level before it formats anything, so a debug line on a
 * hot path costs one comparison when debug is off.
 */
#ifndef DUBAN_BASE_LOG_H
#define DUBAN_BASE_LOG_H

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

extern enum log_level log_current_level;

void log_write(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/** Parses "error", "warn", "info", "debug"; -1 when unknown. */
int log_level_parse(const char *s);

#define LOG(level, ...)                                \
	do {                                           \
		if ((level) <= log_current_level)      \
			log_write((level), __VA_ARGS__); \
	} while (0)

#endif
