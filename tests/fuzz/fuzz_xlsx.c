/*
 * fuzz_xlsx.c - xlsx_read() on an uploaded workbook.
 *
 * An input that starts as a zip ("PK\3\4") is read as it is.  Anything
 * else is cut at NUL bytes into the parts the reader parses: the sheet,
 * the shared strings, the styles, the workbook and its relationships, in
 * that order, which the harness stores in a zip (a missing workbook or
 * relationships part gets a minimal one), so that the fuzzer works on the
 * XML rather than on checksums.  The input also goes, as text, to
 * xlsx_format_is_date().
 *
 * Invariants: rows increase; a row has at least one non-empty cell and at
 * most the column cap; each cell's text is valid UTF-8 of its length, ""
 * when empty; a day is within 1900..9999; the sheet's name is valid UTF-8;
 * info.rows counts the rows handed over.
 */
#include <string.h>
#include <zip.h>

#include "base/date.h"
#include "base/xalloc.h"
#include "core/xlsx_read.h"
#include "fuzz.h"

#define COLUMNS 512

static const char *const part_names[] = {
	"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml",
	"xl/workbook.xml",	    "xl/_rels/workbook.xml.rels",
};

static const char workbook[] =
	"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/"
	"2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/"
	"officeDocument/2006/relationships\"><sheets><sheet name=\"S\" "
	"sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char rels[] =
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
	"2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://"
	"schemas.openxmlformats.org/officeDocument/2006/relationships/"
	"worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>";

static void add_stored(zip_t *za, const char *name, const void *p, size_t n)
{
	zip_int64_t idx = zip_file_add(za, name, zip_source_buffer(za, p, n, 0),
				       0);
	FUZZ_ASSERT(idx >= 0);
	zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
}

/* The parts of data, stored uncompressed in a zip; NULL on failure. */
static uint8_t *build_zip(const uint8_t *data, size_t size, size_t *len)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	zip_stat_t st;
	uint8_t *out = NULL;
	const uint8_t *p = data, *end = data + size;
	size_t part = 0;
	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	FUZZ_ASSERT(src);
	zip_source_keep(src);
	za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	FUZZ_ASSERT(za);
	while (part < 5) {
		const uint8_t *nul = memchr(p, '\0', (size_t)(end - p));
		add_stored(za, part_names[part++], p,
			   (size_t)((nul ? nul : end) - p));
		if (!nul)
			break;
		p = nul + 1;
	}
	if (part < 4)
		add_stored(za, part_names[3], workbook, strlen(workbook));
	if (part < 5)
		add_stored(za, part_names[4], rels, strlen(rels));
	FUZZ_ASSERT(zip_close(za) == 0);
	if (zip_source_stat(src, &st) == 0 && zip_source_open(src) == 0) {
		out = xmalloc(st.size + 1);
		FUZZ_ASSERT(zip_source_read(src, out, st.size) ==
			    (zip_int64_t)st.size);
		*len = st.size;
		zip_source_close(src);
	}
	zip_source_free(src);
	zip_error_fini(&ze);
	return out;
}

struct seen {
	uint32_t last_row, rows;
};

static duban_result check_row(void *ctx, uint32_t row,
			      const struct xlsx_cell *cells, size_t n,
			      struct duban_error *err)
{
	struct seen *s = ctx;
	bool any = false;
	(void)err;
	FUZZ_ASSERT(row > s->last_row);
	FUZZ_ASSERT(n >= 1 && n <= COLUMNS);
	s->last_row = row;
	s->rows++;
	for (size_t i = 0; i < n; i++) {
		const struct xlsx_cell *c = &cells[i];
		FUZZ_ASSERT(c->text && strlen(c->text) == c->len);
		FUZZ_ASSERT(utf8_valid(c->text, c->len));
		FUZZ_ASSERT(c->type != XLSX_EMPTY || c->len == 0);
		if (c->has_day)
			FUZZ_ASSERT(c->day >= date_from_ymd(1900, 1, 1) &&
				    c->day <= date_from_ymd(9999, 12, 31));
		any |= c->type != XLSX_EMPTY;
	}
	FUZZ_ASSERT(any);
	return DUBAN_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* small caps keep each run fast; the checks are the same */
	struct xlsx_limits lim = { 1u << 22, 1u << 20, 1u << 16, COLUMNS,
				   10000 };
	struct duban_error err = { 0 };
	struct xlsx_info info;
	struct seen seen = { 0, 0 };
	uint8_t *zip = NULL;
	size_t len = size;
	duban_result result;
	char *code;

	if (size >= 4 && memcmp(data, "PK\x03\x04", 4) == 0) {
		zip = xmalloc(size ? size : 1);
		memcpy(zip, data, size);
	} else {
		zip = build_zip(data, size, &len);
		if (!zip)
			return 0;
	}
	memset(&info, 0xA5, sizeof(info));
	result = xlsx_read(zip, len, &lim, check_row, &seen, &info, &err);
	fuzz_check_error(result, &err);
	FUZZ_ASSERT(info.rows == seen.rows);
	FUZZ_ASSERT(memchr(info.sheet, '\0', sizeof(info.sheet)));
	FUZZ_ASSERT(utf8_valid(info.sheet, strlen(info.sheet)));
	free(zip);

	code = xstrndup((const char *)data, size);
	(void)xlsx_format_is_date(code);
	free(code);
	return 0;
}
