#include "core/filetype.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "base/xalloc.h"

static const struct kind {
	const char *type, *ext;
} kinds[] = {
	{ "image/jpeg", "jpg" },
	{ "image/png", "png" },
	{ "image/gif", "gif" },
	{ "image/webp", "webp" },
	{ "application/pdf", "pdf" },
	{ "application/vnd.openxmlformats-officedocument.wordprocessingml."
	  "document",
	  "docx" },
	{ "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	  "xlsx" },
	{ "application/vnd.openxmlformats-officedocument.presentationml."
	  "presentation",
	  "pptx" },
	{ "application/msword", "doc" },
	{ "application/vnd.ms-excel", "xls" },
	{ "application/vnd.ms-powerpoint", "ppt" },
};
enum { JPEG, PNG, GIF, WEBP, PDF, DOCX, XLSX, PPTX, DOC, XLS, PPT };

static bool starts(const void *data, size_t len, const char *magic, size_t n)
{
	return len >= n && memcmp(data, magic, n) == 0;
}

/*
 * Office Open XML: the main part's content type in [Content_Types].xml
 * says which application the package is for.
 */
static const char *ooxml(const void *data, size_t len)
{
	static const struct {
		const char *main;
		int kind;
	} mains[] = {
		{ "wordprocessingml.document.main+xml\"", DOCX },
		{ "spreadsheetml.sheet.main+xml\"", XLSX },
		{ "presentationml.presentation.main+xml\"", PPTX },
	};
	const char *found = NULL;
	zip_error_t ze;
	zip_t *za = NULL;
	zip_file_t *zf = NULL;
	zip_stat_t st;
	char *xml = NULL;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
	if (!src)
		goto out;
	za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
	if (!za) {
		zip_source_free(src);
		goto out;
	}
	/* a content types part of over 1 MiB is no document of ours */
	if (zip_stat(za, "[Content_Types].xml", 0, &st) != 0 ||
	    !(st.valid & ZIP_STAT_SIZE) || st.size > (1u << 20))
		goto out;
	zf = zip_fopen(za, "[Content_Types].xml", 0);
	if (!zf)
		goto out;
	xml = xmalloc((size_t)st.size + 1);
	zip_int64_t n = zip_fread(zf, xml, st.size);
	if (n < 0 || (zip_uint64_t)n != st.size)
		goto out;
	xml[n] = '\0';
	for (size_t i = 0; i < sizeof(mains) / sizeof(mains[0]); i++) {
		if (strstr(xml, mains[i].main)) {
			if (found) { /* two applications at once: neither */
				found = NULL;
				break;
			}
			found = kinds[mains[i].kind].type;
		}
	}
out:
	free(xml);
	if (zf)
		zip_fclose(zf);
	if (za)
		zip_discard(za);
	zip_error_fini(&ze);
	return found;
}

/* Does the 128-byte directory entry at e name this stream? */
static bool ole_entry(const unsigned char *e, const char *name)
{
	size_t n = strlen(name);
	unsigned namelen = (unsigned)e[64] | (unsigned)e[65] << 8;
	if (namelen != (n + 1) * 2 || e[66] != 2) /* 2: a stream */
		return false;
	for (size_t i = 0; i < n; i++)
		if (e[2 * i] != (unsigned char)name[i] || e[2 * i + 1] != 0)
			return false;
	return true;
}

/*
 * An OLE compound file (the Office 97-2003 formats): its directory holds
 * 128-byte entries on 128-byte boundaries after the header sector; the
 * streams there say which application wrote it.
 */
static const char *ole(const unsigned char *d, size_t len)
{
	bool word = false, excel = false, ppt = false;
	unsigned shift;
	size_t start;
	if (len < 512)
		return NULL;
	shift = (unsigned)d[30] | (unsigned)d[31] << 8;
	if (shift != 9 && shift != 12)
		return NULL;
	start = (size_t)1 << shift;
	for (size_t off = start; off + 128 <= len; off += 128) {
		const unsigned char *e = d + off;
		word |= ole_entry(e, "WordDocument");
		excel |= ole_entry(e, "Workbook") || ole_entry(e, "Book");
		ppt |= ole_entry(e, "PowerPoint Document");
	}
	/* a document with an embedded workbook is still a document */
	if (word)
		return kinds[DOC].type;
	if (ppt)
		return kinds[PPT].type;
	if (excel)
		return kinds[XLS].type;
	return NULL;
}

const char *filetype_sniff(const void *data, size_t len)
{
	const unsigned char *d = data;
	if (starts(d, len, "\xFF\xD8\xFF", 3))
		return kinds[JPEG].type;
	if (starts(d, len, "\x89PNG\r\n\x1A\n", 8))
		return kinds[PNG].type;
	if (starts(d, len, "GIF87a", 6) || starts(d, len, "GIF89a", 6))
		return kinds[GIF].type;
	if (len >= 12 && memcmp(d, "RIFF", 4) == 0 &&
	    memcmp(d + 8, "WEBP", 4) == 0)
		return kinds[WEBP].type;
	if (starts(d, len, "%PDF-", 5))
		return kinds[PDF].type;
	if (starts(d, len, "PK\x03\x04", 4))
		return ooxml(data, len);
	if (starts(d, len, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
		return ole(d, len);
	return NULL;
}

const char *filetype_extension(const char *content_type)
{
	for (size_t i = 0; content_type && i < sizeof(kinds) / sizeof(kinds[0]);
	     i++)
		if (strcmp(kinds[i].type, content_type) == 0)
			return kinds[i].ext;
	return "bin";
}
