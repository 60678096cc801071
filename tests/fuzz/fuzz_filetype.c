/*
 * fuzz_filetype.c - filetype_sniff() on an uploaded attachment (magic
 * bytes, the [Content_Types].xml of a zip, the directory of an OLE
 * compound file).
 *
 * Invariants: the answer is NULL or a type with its own extension, the
 * same on a second look, and a type is only named for content that
 * begins with one of the magic numbers.
 */
#include <string.h>

#include "core/filetype.h"
#include "fuzz.h"

static bool starts(const uint8_t *d, size_t n, const char *magic, size_t m)
{
	return n >= m && memcmp(d, magic, m) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *type = filetype_sniff(data, size);
	FUZZ_ASSERT(filetype_sniff(data, size) == type);
	FUZZ_ASSERT(strcmp(filetype_extension(NULL), "bin") == 0);
	if (!type)
		return 0;
	FUZZ_ASSERT(strcmp(filetype_extension(type), "bin") != 0);
	FUZZ_ASSERT(starts(data, size, "\xFF\xD8\xFF", 3) ||
		    starts(data, size, "\x89PNG", 4) ||
		    starts(data, size, "GIF8", 4) ||
		    starts(data, size, "RIFF", 4) ||
		    starts(data, size, "%PDF-", 5) ||
		    starts(data, size, "PK\x03\x04", 4) ||
		    starts(data, size, "\xD0\xCF\x11\xE0", 4));
	return 0;
}
