/*
 * fuzz_import.c - the spreadsheet import's reading layer
 * (src/app/import.c): import_format_detect() by content, then
 * import_read() into rows by header, then import_date() on every value;
 * no database is involved.  The columns are those of a problem list.
 *
 * Invariants: rows are non-blank and on increasing row numbers; every
 * value is NULL or non-empty valid UTF-8 trimmed of white space; a date
 * read from a value lies in 1900..9999; the sheet's name is valid UTF-8.
 */
#include <string.h>

#include "app/import.h"
#include "base/date.h"
#include "fuzz.h"

static const struct import_column columns[] = {
	{ "序号", { "编号" }, false, false, true },
	{ "单位", { "责任单位", "被督办单位" }, true, true, false },
	{ "问题描述", { "问题", "具体问题" }, true, true, false },
	{ "整改时限", { "时限", "完成时限" }, false, false, false },
	{ "数量", { "金额" }, false, false, false },
};
#define NCOLS ((int)(sizeof(columns) / sizeof(columns[0])))

static bool blank_at(const char *s, size_t n)
{
	return (n >= 1 && memchr(" \t\r\n", s[0], 4)) ||
	       (n >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0) ||
	       (n >= 2 && memcmp(s, "\xC2\xA0", 2) == 0);
}

static bool blank_before(const char *s, size_t n)
{
	return (n >= 1 && memchr(" \t\r\n", s[n - 1], 4)) ||
	       (n >= 3 && memcmp(s + n - 3, "\xE3\x80\x80", 3) == 0) ||
	       (n >= 2 && memcmp(s + n - 2, "\xC2\xA0", 2) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_options opt = { IMPORT_CSV, "fuzz", NULL, NULL };
	struct duban_error err = { 0 };
	struct import im;
	duban_result result;

	result = import_format_detect(NULL, NULL, NULL, data, size,
				      &opt.format, &err);
	fuzz_check_error(result, &err);
	if (result)
		return 0;
	import_init(&im, NULL, 1, &opt, columns, NCOLS);
	result = import_read(&im, data, size, &err);
	fuzz_check_error(result, &err);
	FUZZ_ASSERT(utf8_valid(im.sheet, strlen(im.sheet)));
	if (result) {
		FUZZ_ASSERT(result == DUBAN_E_INVALID ||
			    result == DUBAN_E_TOO_LARGE);
		goto out;
	}
	FUZZ_ASSERT(im.have_header && im.nrows > 0);
	for (size_t i = 0; i < im.nrows; i++) {
		const struct import_row *r = &im.rows[i];
		bool any = false;
		FUZZ_ASSERT(i == 0 || r->row > im.rows[i - 1].row);
		for (int c = 0; c < NCOLS; c++) {
			const struct import_value *v = &r->v[c];
			int32_t day;
			if (v->text) {
				size_t n = strlen(v->text);
				FUZZ_ASSERT(n > 0 && utf8_valid(v->text, n));
				FUZZ_ASSERT(!blank_at(v->text, n) &&
					    !blank_before(v->text, n));
				any |= !columns[c].numbering;
			}
			if (import_date(v, &day))
				FUZZ_ASSERT(day >= date_from_ymd(1900, 1, 1) &&
					    day <= date_from_ymd(9999, 12, 31));
		}
		FUZZ_ASSERT(any);
	}
out:
	import_release(&im);
	return 0;
}
