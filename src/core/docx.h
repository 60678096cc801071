/*
 * docx.h - a small writer of Word documents (WordprocessingML in a zip)
 * laid out as Chinese official documents (公文) per GB/T 9704-2012.
 *
 * The caller appends paragraphs of the kinds a 公文 has (issuer mark,
 * document number, title, addressee, headings of four levels, body text,
 * tables, signature and date) and builds the package in memory: no office
 * suite, no files.  The parts are [Content_Types].xml, _rels/.rels,
 * word/document.xml, word/styles.xml, word/settings.xml,
 * word/fontTable.xml, word/footer1.xml (odd pages), word/footer2.xml (even
 * pages), word/_rels/document.xml.rels, docProps/core.xml and
 * docProps/app.xml.
 *
 * Page (docx_page_gbt9704): A4 210 x 297 mm; top margin 37 mm, binding
 * (left) margin 28 mm, type area 156 x 225 mm, so right 26 mm and bottom
 * 35 mm; 22 lines of 28 characters through the document grid (w:docGrid
 * linePitch and charSpace); body 仿宋_GB2312 三号 (16 pt); title
 * 方正小标宋简体 二号 (22 pt); headings 一、 in 黑体, （一） in 楷体_GB2312,
 * 1. and （1） in the body face; page numbers "— 1 —" in 4号 (14 pt) 宋体,
 * right on odd pages and left on even ones, one character in.
 * Lengths are in twips (1/1440 inch; 1 mm = 56.69 twips).
 *
 * Text is UTF-8 and escaped here; callers pass plain text.
 */
#ifndef DUBAN_CORE_DOCX_H
#define DUBAN_CORE_DOCX_H

#include <stddef.h>
#include <time.h>

#include "base/result.h"

/** Millimetres to twips, rounded to the nearest. */
int docx_twips(double mm);

/** A section's page setup, in twips. */
struct docx_page {
	int width, height;
	int top, bottom, left, right;
	int header, footer; /* distances of header and footer from the edge */
	int lines, chars;   /* the grid: lines a page, characters a line */
	int line_pitch;     /* w:docGrid w:linePitch: type height / lines */
	int char_space;     /* w:docGrid w:charSpace: 1/4096 pt added to the
			       body size for the character pitch */
	int body_half_points; /* the body's size (32 = 16 pt, 三号) */
};

/** The GB/T 9704-2012 page above. */
void docx_page_gbt9704(struct docx_page *p);

enum docx_kind {
	DOCX_ISSUER,    /* 发文机关标志: red 小标宋, centred, 35 mm down */
	DOCX_DOCNO,     /* 发文字号: centred, the red separator line under it */
	DOCX_TITLE,     /* 标题: 小标宋 二号, centred */
	DOCX_ADDRESSEE, /* 主送机关: flush left */
	DOCX_BODY,      /* 正文: first line in two characters, justified */
	DOCX_H1,        /* 一、 黑体 */
	DOCX_H2,        /* （一） 楷体 */
	DOCX_H3,        /* 1. 仿宋 */
	DOCX_H4,        /* （1） 仿宋 */
	DOCX_SIGNATURE, /* 发文机关署名: right, two characters in */
	DOCX_DATE,      /* 成文日期: right, four characters in */
	DOCX_BLANK,     /* an empty line */
};

/**
 * The number a heading of level 1..4 takes as its n-th (1-based) in its
 * parent: "一、", "（一）", "1.", "（1）", into buf.
 */
void docx_heading_prefix(int level, int n, char *buf, size_t size);

struct docx;

/**
 * A new, empty document.  title and author go into docProps/core.xml;
 * created is the creation time written there and as every zip entry's
 * time, so that the same content always builds the same bytes.
 */
struct docx *docx_new(const char *title, const char *author, time_t created);

void docx_free(struct docx *d);

/** Appends a paragraph of text (NULL is an empty one). */
void docx_para(struct docx *d, enum docx_kind kind, const char *text);

/**
 * Appends a table of nrows x ncols cells, row by row; the first row is the
 * header (bold).  widths are the columns' relative widths (NULL: equal);
 * the table spans the type area.
 */
void docx_table(struct docx *d, size_t nrows, size_t ncols,
		const char *const *cells, const unsigned *widths);

/**
 * The text of one part (e.g. "word/document.xml"), malloc'd; the caller
 * frees it.  DUBAN_E_NOT_FOUND for a part the package does not have.
 */
duban_result docx_part(struct docx *d, const char *name, char **out,
		       size_t *len, struct duban_error *err);

/** The names of the package's parts, ended by NULL. */
extern const char *const docx_part_names[];

/** The .docx package, malloc'd; the caller frees it. */
duban_result docx_build(struct docx *d, char **out, size_t *len,
			struct duban_error *err);

#endif
