/*
 * xlsx_read.h - a small streaming reader of the first worksheet of an
 * Office Open XML workbook (.xlsx), for imports.
 *
 * It reads from memory: libzip opens the archive, expat parses
 * xl/workbook.xml (which sheet is first, the 1900 or 1904 date system),
 * xl/_rels/workbook.xml.rels (where that sheet lives), xl/styles.xml (which
 * cell formats are dates), xl/sharedStrings.xml, and then the sheet itself,
 * row by row, handing each row to a callback.  Only the shared strings are
 * held in memory; rows are not.
 *
 * What comes in is hostile until proven otherwise: every part is read
 * through a cap on its decompressed size, a document type declaration is
 * refused (no entities, no billion laughs), cells and rows are bounded.
 */
#ifndef DUBAN_CORE_XLSX_READ_H
#define DUBAN_CORE_XLSX_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/result.h"

enum xlsx_type {
	XLSX_EMPTY,  /* no cell, or a cell without a value */
	XLSX_STRING, /* shared, inline or formula string; t="d" as its text */
	XLSX_NUMBER, /* a number (a date when its format says so) */
	XLSX_BOOL,   /* number is 0 or 1 */
	XLSX_ERROR,  /* "#N/A", "#DIV/0!" ... in text */
};

/** One cell of a row.  text is valid until the callback returns. */
struct xlsx_cell {
	enum xlsx_type type;
	const char *text; /* UTF-8, NUL-terminated; "" for XLSX_EMPTY; a
			   * number as the file writes it */
	size_t len;
	double number;    /* XLSX_NUMBER and XLSX_BOOL */
	bool date;        /* a number whose cell format is a date or time */
	bool has_day;     /* number is a serial of a day in 1900..9999 */
	int32_t day;      /* that day (base/date.h), epoch applied */
};

/**
 * Called for each row that has at least one cell, in file order.  row is
 * the sheet's 1-based row number; cells[0] is column A, and n covers the
 * last cell present (cells between are XLSX_EMPTY).  A non-OK result stops
 * the reading and is returned by xlsx_read().
 */
typedef duban_result (*xlsx_row_fn)(void *ctx, uint32_t row,
				    const struct xlsx_cell *cells, size_t n,
				    struct duban_error *err);

/** Caps; a zero member takes the default. */
struct xlsx_limits {
	size_t part_bytes;    /* decompressed size of one part (256 MiB) */
	size_t strings_bytes; /* the shared strings in memory (64 MiB) */
	size_t cell_bytes;    /* the text of one cell (256 KiB) */
	uint32_t columns;     /* columns of a row (16384, Excel's XFD) */
	uint32_t rows;        /* rows handed to fn (1048576) */
};

/** What the reader learnt of the workbook. */
struct xlsx_info {
	char sheet[128];  /* the first sheet's name */
	bool date1904;    /* the workbook uses the 1904 date system */
	uint32_t rows;    /* rows handed to fn */
};

/**
 * Reads the first worksheet of the workbook in data[0..len).  Anything
 * that is not a readable workbook is DUBAN_E_INVALID (field "file") with a
 * message that says what was wrong; a cap exceeded is DUBAN_E_TOO_LARGE.
 * info may be NULL.
 */
duban_result xlsx_read(const void *data, size_t len,
		       const struct xlsx_limits *limits, xlsx_row_fn fn,
		       void *ctx, struct xlsx_info *info,
		       struct duban_error *err);

/**
 * The day of a date serial: 1900 system (day 1 = 1900-01-01, with Lotus's
 * phantom 1900-02-29 as serial 60) or, with date1904, the 1904 system.  The
 * fraction (a time of day) is dropped.  False outside 1900-01-01 to
 * 9999-12-31, for the phantom day, and for NaN.
 */
bool xlsx_serial_day(double serial, bool date1904, int32_t *day);

/**
 * True when an Excel number format code formats a date or a time
 * ("yyyy-mm-dd", "m/d/yy h:mm", "[$-804]yyyy\"年\"m\"月\"d\"日\""...).
 */
bool xlsx_format_is_date(const char *code);

#endif
