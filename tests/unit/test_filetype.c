/* Unit tests: telling evidence files by their content. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <zip.h>

#include "core/filetype.h"

/* A zip holding [Content_Types].xml that declares main (NULL: none). */
static char *ooxml(const char *main, size_t *len)
{
	char path[64], xml[512];
	int zerr = 0;
	snprintf(path, sizeof(path), "/tmp/duban-ft-%d.zip", (int)getpid());
	unlink(path);
	zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	assert_non_null(za);
	snprintf(xml, sizeof(xml),
		 "<?xml version=\"1.0\"?><Types><Override PartName=\"/x\""
		 " ContentType=\"%s\"/></Types>",
		 main ? main : "application/xml");
	zip_source_t *src = zip_source_buffer(za, xml, strlen(xml), 0);
	assert_true(zip_file_add(za, main ? "[Content_Types].xml" : "other.xml",
				 src, 0) >= 0);
	assert_int_equal(zip_close(za), 0);
	FILE *f = fopen(path, "rb");
	char *buf = malloc(4096);
	*len = fread(buf, 1, 4096, f);
	fclose(f);
	unlink(path);
	return buf;
}

/* An OLE compound file whose directory holds a stream called name. */
static char *ole(const char *name, size_t *len)
{
	char *d = calloc(1, 1536);
	memcpy(d, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
	d[30] = 9; /* 512-byte sectors */
	const char *names[2] = { "Root Entry", name };
	for (int e = 0; e < 2; e++) {
		unsigned char *ent = (unsigned char *)d + 512 + 128 * e;
		size_t n = strlen(names[e]);
		for (size_t i = 0; i < n; i++)
			ent[2 * i] = (unsigned char)names[e][i];
		ent[64] = (unsigned char)((n + 1) * 2);
		ent[66] = e == 0 ? 5 : 2;
	}
	*len = 1536;
	return d;
}

#define W "application/vnd.openxmlformats-officedocument."

static void test_magic(void **state)
{
	static const struct {
		const char *data;
		size_t len;
		const char *type;
	} t[] = {
		{ "\xFF\xD8\xFF\xE0\0\x10JFIF", 10, "image/jpeg" },
		{ "\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16, "image/png" },
		{ "GIF87a..", 8, "image/gif" },
		{ "GIF89a..", 8, "image/gif" },
		{ "RIFF\x24\0\0\0WEBPVP8 ", 16, "image/webp" },
		{ "%PDF-1.7\n", 9, "application/pdf" },
		{ "\x7F" "ELF\x02\x01\x01", 7, NULL },
		{ "MZ\x90\0\x03\0", 6, NULL },
		{ "#!/bin/sh\n", 10, NULL },
		{ "<svg xmlns=", 11, NULL },
		{ "RIFF\x24\0\0\0WAVEfmt ", 16, NULL },
		{ "", 0, NULL },
		{ "\xFF\xD8", 2, NULL },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const char *got = filetype_sniff(t[i].data, t[i].len);
		if (t[i].type)
			assert_string_equal(got, t[i].type);
		else
			assert_null(got);
	}
}

static void test_office(void **state)
{
	static const struct {
		const char *main; /* for a zip; NULL: an OLE file */
		const char *stream;
		const char *type, *ext;
	} t[] = {
		{ W "wordprocessingml.document.main+xml", NULL,
		  W "wordprocessingml.document", "docx" },
		{ W "spreadsheetml.sheet.main+xml", NULL, W "spreadsheetml.sheet",
		  "xlsx" },
		{ W "presentationml.presentation.main+xml", NULL,
		  W "presentationml.presentation", "pptx" },
		{ "application/vnd.ms-word.document.macroEnabled.main+xml", NULL,
		  NULL, "bin" },
		{ "", NULL, NULL, "bin" }, /* a zip without content types */
		{ NULL, "WordDocument", "application/msword", "doc" },
		{ NULL, "Workbook", "application/vnd.ms-excel", "xls" },
		{ NULL, "Book", "application/vnd.ms-excel", "xls" },
		{ NULL, "PowerPoint Document", "application/vnd.ms-powerpoint",
		  "ppt" },
		{ NULL, "__substg1.0_0037001F", NULL, "bin" }, /* an e-mail */
	};
	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		size_t len;
		char *buf = t[i].main ? ooxml(t[i].main[0] ? t[i].main : NULL,
					      &len)
				      : ole(t[i].stream, &len);
		const char *got = filetype_sniff(buf, len);
		if (t[i].type)
			assert_string_equal(got, t[i].type);
		else
			assert_null(got);
		assert_string_equal(filetype_extension(got), t[i].ext);
		free(buf);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_magic),
		cmocka_unit_test(test_office),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
