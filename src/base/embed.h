/*
 * embed.h - files compiled into the binary.
 *
 * cmake/embed.cmake's duban_embed() turns a list of files into a C file that
 * defines, for a prefix chosen by the caller, a table <prefix>_files of
 * <prefix>_files_count entries, in the order of the names.  The data are
 * static and read-only; nothing is allocated or freed.
 */
#ifndef DUBAN_BASE_EMBED_H
#define DUBAN_BASE_EMBED_H

#include <stddef.h>

/** One embedded file. */
struct embedded_file {
	const char *name;          /* relative to the embed's base, '/' separated */
	const unsigned char *data; /* len bytes, then a NUL not counted in len */
	size_t len;
};

/** Declares the table that duban_embed(SYMBOL prefix ...) generated. */
#define DUBAN_EMBED_DECLARE(prefix)                          \
	extern const struct embedded_file prefix##_files[]; \
	extern const size_t prefix##_files_count

#endif
