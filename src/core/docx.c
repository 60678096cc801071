#include "core/docx.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "base/xalloc.h"
#include "core/dynbuf.h"

#define DOCX_MAX (16u << 20) /* a part or the package */

/* the faces GB/T 9704 names, and the ones a machine without them uses */
#define F_FANGSONG "仿宋_GB2312"
#define F_XIAOBIAOSONG "方正小标宋简体"
#define F_HEITI "黑体"
#define F_KAITI "楷体_GB2312"
#define F_SONGTI "宋体"

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R                                                          \
	"http://schemas.openxmlformats.org/officeDocument/2006/"      \
	"relationships"
#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

int docx_twips(double mm)
{
	return (int)lround(mm * 1440.0 / 25.4);
}

void docx_page_gbt9704(struct docx_page *p)
{
	memset(p, 0, sizeof(*p));
	p->width = docx_twips(210);
	p->height = docx_twips(297);
	p->top = docx_twips(37);
	p->left = docx_twips(28);
	/* the type area is 156 x 225 mm: what is left of the page */
	p->right = docx_twips(210 - 28 - 156);
	p->bottom = docx_twips(297 - 37 - 225);
	p->header = docx_twips(15);
	/* the page number's dashes 7 mm under the type area: 35 - 7 mm up
	 * to its top, less a 14 pt line (4.94 mm) */
	p->footer = docx_twips(23);
	p->lines = 22;
	p->chars = 28;
	p->body_half_points = 32;
	int type_w = p->width - p->left - p->right;
	int type_h = p->height - p->top - p->bottom;
	/* 22 lines must fit: round the pitch down */
	p->line_pitch = type_h / p->lines;
	/* Word's character pitch is the body size plus charSpace/4096 pt;
	 * rounded down, so that 28 characters fit */
	double pitch_pt = (double)type_w / p->chars / 20.0;
	p->char_space =
		(int)floor((pitch_pt - p->body_half_points / 2.0) * 4096.0);
}

void docx_heading_prefix(int level, int n, char *buf, size_t size)
{
	static const char *const digit[] = { "〇", "一", "二", "三", "四",
					     "五", "六", "七", "八", "九" };
	char cn[64] = "";
	if (n < 1)
		n = 1;
	if (level <= 2) {
		/* Chinese numerals up to 99: 十, 十一, 二十, 二十一 */
		if (n >= 100)
			snprintf(cn, sizeof(cn), "%d", n);
		else if (n < 10)
			snprintf(cn, sizeof(cn), "%s", digit[n]);
		else
			snprintf(cn, sizeof(cn), "%s十%s",
				 n / 10 == 1 ? "" : digit[n / 10],
				 n % 10 ? digit[n % 10] : "");
	}
	switch (level) {
	case 1:
		snprintf(buf, size, "%s、", cn);
		break;
	case 2:
		snprintf(buf, size, "（%s）", cn);
		break;
	case 3:
		snprintf(buf, size, "%d.", n);
		break;
	default:
		snprintf(buf, size, "（%d）", n);
		break;
	}
}

struct docx {
	struct docx_page page;
	struct dynbuf body;
	char *title, *author;
	time_t created;
};

struct docx *docx_new(const char *title, const char *author, time_t created)
{
	struct docx *d = xcalloc(1, sizeof(*d));
	docx_page_gbt9704(&d->page);
	dynbuf_init(&d->body, DOCX_MAX);
	d->title = xstrdup(title ? title : "");
	d->author = xstrdup(author ? author : "");
	d->created = created;
	return d;
}

void docx_free(struct docx *d)
{
	if (!d)
		return;
	dynbuf_release(&d->body);
	free(d->title);
	free(d->author);
	free(d);
}

/* Runs for text: a line break for \n, a tab for \t, rPr on each. */
static void runs(struct dynbuf *b, const char *rpr, const char *text)
{
	const char *p = text ? text : "";
	for (;;) {
		size_t n = strcspn(p, "\n\t");
		char *seg = xstrndup(p, n);
		dynbuf_add(b, "<w:r>");
		dynbuf_add(b, rpr);
		if (n) {
			dynbuf_add(b, "<w:t xml:space=\"preserve\">");
			dynbuf_add_xml(b, seg);
			dynbuf_add(b, "</w:t>");
		}
		if (p[n] == '\n')
			dynbuf_add(b, "<w:br/>");
		else if (p[n] == '\t')
			dynbuf_add(b, "<w:tab/>");
		dynbuf_add(b, "</w:r>");
		free(seg);
		if (!p[n])
			break;
		p += n + 1;
	}
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; s && *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

void docx_para(struct docx *d, enum docx_kind kind, const char *text)
{
	static const char *const style[] = {
		[DOCX_ISSUER] = "Issuer",	[DOCX_DOCNO] = "DocNumber",
		[DOCX_TITLE] = "Title",		[DOCX_ADDRESSEE] = "Addressee",
		[DOCX_BODY] = "BodyText",	[DOCX_H1] = "Heading1",
		[DOCX_H2] = "Heading2",		[DOCX_H3] = "Heading3",
		[DOCX_H4] = "Heading4",		[DOCX_SIGNATURE] = "Signature",
		[DOCX_DATE] = "Date",		[DOCX_BLANK] = "Addressee",
	};
	struct dynbuf *b = &d->body;
	char rpr[160] = "";
	if ((unsigned)kind > DOCX_BLANK)
		kind = DOCX_BODY;
	dynbuf_addf(b, "<w:p><w:pPr><w:pStyle w:val=\"%s\"/></w:pPr>",
		    style[kind]);
	if (kind == DOCX_ISSUER) {
		/* as large as 初号 (42 pt) while one line holds it: the type
		 * area is 156 mm = 442 pt wide */
		size_t n = utf8_chars(text);
		int hp = n ? (int)(884 / n) : 84;
		if (hp > 84)
			hp = 84;
		if (hp < 32)
			hp = 32;
		snprintf(rpr, sizeof(rpr),
			 "<w:rPr><w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/>"
			 "</w:rPr>",
			 hp, hp);
	}
	if (kind != DOCX_BLANK && text && *text)
		runs(b, rpr, text);
	dynbuf_add(b, "</w:p>");
}

void docx_table(struct docx *d, size_t nrows, size_t ncols,
		const char *const *cells, const unsigned *widths)
{
	struct dynbuf *b = &d->body;
	int type_w = d->page.width - d->page.left - d->page.right;
	unsigned total = 0;
	int *w;
	if (!nrows || !ncols)
		return;
	w = xcalloc(ncols, sizeof(*w));
	for (size_t j = 0; j < ncols; j++)
		total += widths && widths[j] ? widths[j] : 1;
	int used = 0;
	for (size_t j = 0; j < ncols; j++) {
		unsigned wj = widths && widths[j] ? widths[j] : 1;
		w[j] = j + 1 < ncols ? (int)((double)type_w * wj / total)
				     : type_w - used;
		used += w[j];
	}
	dynbuf_addf(b,
		    "<w:tbl><w:tblPr><w:tblW w:w=\"%d\" w:type=\"dxa\"/>"
		    "<w:jc w:val=\"center\"/><w:tblBorders>",
		    type_w);
	static const char *const edges[] = { "top",    "left",	  "bottom",
					     "right", "insideH", "insideV" };
	for (size_t k = 0; k < 6; k++)
		dynbuf_addf(b,
			    "<w:%s w:val=\"single\" w:sz=\"4\" w:space=\"0\""
			    " w:color=\"000000\"/>",
			    edges[k]);
	dynbuf_add(b, "</w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
		      "<w:tblCellMar><w:left w:w=\"57\" w:type=\"dxa\"/>"
		      "<w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar>"
		      "</w:tblPr><w:tblGrid>");
	for (size_t j = 0; j < ncols; j++)
		dynbuf_addf(b, "<w:gridCol w:w=\"%d\"/>", w[j]);
	dynbuf_add(b, "</w:tblGrid>");
	for (size_t i = 0; i < nrows; i++) {
		dynbuf_add(b, i == 0 ? "<w:tr><w:trPr><w:cantSplit/>"
				       "<w:tblHeader/></w:trPr>"
				     : "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
		for (size_t j = 0; j < ncols; j++) {
			dynbuf_addf(b,
				    "<w:tc><w:tcPr><w:tcW w:w=\"%d\""
				    " w:type=\"dxa\"/><w:vAlign"
				    " w:val=\"center\"/></w:tcPr><w:p><w:pPr>"
				    "<w:pStyle w:val=\"TableText\"/></w:pPr>",
				    w[j]);
			const char *t = cells[i * ncols + j];
			if (t && *t)
				runs(b, i == 0 ? "<w:rPr><w:b/></w:rPr>" : "",
				     t);
			dynbuf_add(b, "</w:p></w:tc>");
		}
		dynbuf_add(b, "</w:tr>");
	}
	dynbuf_add(b, "</w:tbl>");
	free(w);
}

/* --- the parts --- */

static void fonts(struct dynbuf *b, const char *face)
{
	dynbuf_add(b, "<w:rFonts w:ascii=\"");
	dynbuf_add(b, face);
	dynbuf_add(b, "\" w:eastAsia=\"");
	dynbuf_add(b, face);
	dynbuf_add(b, "\" w:hAnsi=\"");
	dynbuf_add(b, face);
	dynbuf_add(b, "\" w:cs=\"");
	dynbuf_add(b, face);
	dynbuf_add(b, "\"/>");
}

/* A paragraph style: its pPr and rPr insides. */
static void style(struct dynbuf *b, const char *id, const char *name,
		  const char *ppr, const char *face, const char *rpr)
{
	dynbuf_addf(b,
		    "<w:style w:type=\"paragraph\" w:styleId=\"%s\">"
		    "<w:name w:val=\"%s\"/><w:basedOn w:val=\"Normal\"/>"
		    "<w:qFormat/><w:pPr>%s</w:pPr><w:rPr>",
		    id, name, ppr);
	if (face)
		fonts(b, face);
	dynbuf_addf(b, "%s</w:rPr></w:style>", rpr);
}

static void part_styles(const struct docx *d, struct dynbuf *b)
{
	const struct docx_page *p = &d->page;
	char ppr[512];
	int hp = p->body_half_points, ch = hp * 10; /* one character, twips */
	dynbuf_add(b, XML_DECL "<w:styles xmlns:w=\"" NS_W "\">"
			       "<w:docDefaults><w:rPrDefault><w:rPr>");
	fonts(b, F_FANGSONG);
	dynbuf_addf(b,
		    "<w:kern w:val=\"2\"/><w:sz w:val=\"%d\"/>"
		    "<w:szCs w:val=\"%d\"/><w:lang w:val=\"en-US\""
		    " w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/></w:rPr>"
		    "</w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl"
		    " w:val=\"0\"/><w:jc w:val=\"both\"/></w:pPr>"
		    "</w:pPrDefault></w:docDefaults>",
		    hp, hp);
	/* Normal: the body face and size on the grid's line pitch */
	dynbuf_addf(b,
		    "<w:style w:type=\"paragraph\" w:default=\"1\""
		    " w:styleId=\"Normal\"><w:name w:val=\"Normal\"/>"
		    "<w:qFormat/><w:pPr><w:widowControl w:val=\"0\"/>"
		    "<w:spacing w:line=\"%d\" w:lineRule=\"exact\"/>"
		    "<w:jc w:val=\"both\"/></w:pPr><w:rPr>",
		    p->line_pitch);
	fonts(b, F_FANGSONG);
	dynbuf_addf(b,
		    "<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/></w:rPr>"
		    "</w:style>",
		    hp, hp);
	snprintf(ppr, sizeof(ppr),
		 "<w:ind w:firstLineChars=\"200\" w:firstLine=\"%d\"/>",
		 2 * ch);
	style(b, "BodyText", "Body Text", ppr, NULL, "");
	/* 发文机关标志: 35 mm below the top of the type area */
	snprintf(ppr, sizeof(ppr),
		 "<w:snapToGrid w:val=\"0\"/><w:spacing w:before=\"%d\""
		 " w:line=\"240\" w:lineRule=\"auto\"/><w:jc"
		 " w:val=\"center\"/>",
		 docx_twips(35));
	style(b, "Issuer", "Issuer", ppr, F_XIAOBIAOSONG,
	      "<w:color w:val=\"FF0000\"/><w:w w:val=\"100\"/>");
	/* 发文字号: two lines under the mark; the red line 4 mm under it,
	 * as wide as the type area */
	snprintf(ppr, sizeof(ppr),
		 "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"12\""
		 " w:space=\"11\" w:color=\"FF0000\"/></w:pBdr>"
		 "<w:spacing w:before=\"%d\"/><w:jc w:val=\"center\"/>",
		 2 * p->line_pitch);
	style(b, "DocNumber", "Document Number", ppr, NULL, "");
	snprintf(ppr, sizeof(ppr),
		 "<w:snapToGrid w:val=\"0\"/><w:spacing w:before=\"%d\""
		 " w:after=\"%d\" w:line=\"%d\" w:lineRule=\"exact\"/>"
		 "<w:jc w:val=\"center\"/><w:outlineLvl w:val=\"9\"/>",
		 2 * p->line_pitch, p->line_pitch, p->line_pitch);
	style(b, "Title", "Title", ppr, F_XIAOBIAOSONG,
	      "<w:sz w:val=\"44\"/><w:szCs w:val=\"44\"/>");
	style(b, "Addressee", "Addressee", "", NULL, "");
	static const struct {
		const char *id, *name, *face;
	} heads[] = {
		{ "Heading1", "heading 1", F_HEITI },
		{ "Heading2", "heading 2", F_KAITI },
		{ "Heading3", "heading 3", NULL },
		{ "Heading4", "heading 4", NULL },
	};
	for (int k = 0; k < 4; k++) {
		snprintf(ppr, sizeof(ppr),
			 "<w:keepNext/><w:ind w:firstLineChars=\"200\""
			 " w:firstLine=\"%d\"/><w:outlineLvl w:val=\"%d\"/>",
			 2 * ch, k);
		style(b, heads[k].id, heads[k].name, ppr, heads[k].face, "");
	}
	snprintf(ppr, sizeof(ppr),
		 "<w:spacing w:before=\"%d\"/><w:ind w:rightChars=\"200\""
		 " w:right=\"%d\"/><w:jc w:val=\"right\"/>",
		 p->line_pitch, 2 * ch);
	style(b, "Signature", "Signature", ppr, NULL, "");
	snprintf(ppr, sizeof(ppr),
		 "<w:ind w:rightChars=\"400\" w:right=\"%d\"/>"
		 "<w:jc w:val=\"right\"/>",
		 4 * ch);
	style(b, "Date", "Date", ppr, NULL, "");
	style(b, "TableText", "Table Text",
	      "<w:snapToGrid w:val=\"0\"/><w:spacing w:line=\"400\""
	      " w:lineRule=\"exact\"/><w:jc w:val=\"center\"/>",
	      NULL, "<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>");
	/* page numbers: 4号 (14 pt) 宋体 */
	style(b, "Footer", "footer",
	      "<w:snapToGrid w:val=\"0\"/><w:spacing w:line=\"240\""
	      " w:lineRule=\"auto\"/>",
	      F_SONGTI, "<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>");
	dynbuf_add(b, "</w:styles>");
}

static void part_document(const struct docx *d, struct dynbuf *b)
{
	const struct docx_page *p = &d->page;
	dynbuf_add(b, XML_DECL "<w:document xmlns:w=\"" NS_W
			       "\" xmlns:r=\"" NS_R "\"><w:body>");
	dynbuf_addn(b, d->body.p ? d->body.p : "", d->body.len);
	dynbuf_addf(b,
		    "<w:sectPr><w:footerReference w:type=\"default\""
		    " r:id=\"rId4\"/><w:footerReference w:type=\"even\""
		    " r:id=\"rId5\"/><w:pgSz w:w=\"%d\" w:h=\"%d\"/>"
		    "<w:pgMar w:top=\"%d\" w:right=\"%d\" w:bottom=\"%d\""
		    " w:left=\"%d\" w:header=\"%d\" w:footer=\"%d\""
		    " w:gutter=\"0\"/><w:pgNumType w:start=\"1\"/>"
		    "<w:cols w:space=\"425\"/><w:docGrid"
		    " w:type=\"linesAndChars\" w:linePitch=\"%d\""
		    " w:charSpace=\"%d\"/></w:sectPr></w:body></w:document>",
		    p->width, p->height, p->top, p->right, p->bottom, p->left,
		    p->header, p->footer, p->line_pitch, p->char_space);
}

/* "— 1 —": right on odd pages, left on even ones, one character in */
static void part_footer(struct dynbuf *b, bool even)
{
	dynbuf_addf(b,
		    XML_DECL "<w:ftr xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R
			     "\"><w:p><w:pPr><w:pStyle w:val=\"Footer\"/>"
			     "<w:ind w:%s=\"280\"/><w:jc w:val=\"%s\"/>"
			     "</w:pPr><w:r><w:t xml:space=\"preserve\">— "
			     "</w:t></w:r><w:r><w:fldChar"
			     " w:fldCharType=\"begin\"/></w:r><w:r>"
			     "<w:instrText xml:space=\"preserve\"> PAGE "
			     "</w:instrText></w:r><w:r><w:fldChar"
			     " w:fldCharType=\"separate\"/></w:r><w:r><w:t>1"
			     "</w:t></w:r><w:r><w:fldChar"
			     " w:fldCharType=\"end\"/></w:r><w:r><w:t"
			     " xml:space=\"preserve\"> —</w:t></w:r></w:p>"
			     "</w:ftr>",
		    even ? "left" : "right", even ? "left" : "right");
}

static void part_settings(struct dynbuf *b)
{
	dynbuf_add(b,
		   XML_DECL "<w:settings xmlns:w=\"" NS_W "\">"
			    "<w:zoom w:percent=\"100\"/>"
			    "<w:defaultTabStop w:val=\"420\"/>"
			    "<w:evenAndOddHeaders/>"
			    "<w:characterSpacingControl"
			    " w:val=\"compressPunctuation\"/>"
			    "<w:compat><w:compatSetting"
			    " w:name=\"compatibilityMode\""
			    " w:uri=\"http://schemas.microsoft.com/office/"
			    "word\" w:val=\"15\"/></w:compat>"
			    "<w:themeFontLang w:val=\"en-US\""
			    " w:eastAsia=\"zh-CN\"/></w:settings>");
}

static void part_fonts(struct dynbuf *b)
{
	static const struct {
		const char *name, *alt, *family;
	} f[] = {
		{ F_FANGSONG, "FangSong", "modern" },
		{ F_XIAOBIAOSONG, "SimSun", "auto" },
		{ F_HEITI, "SimHei", "modern" },
		{ F_KAITI, "KaiTi", "modern" },
		{ F_SONGTI, "SimSun", "auto" },
	};
	dynbuf_add(b, XML_DECL "<w:fonts xmlns:w=\"" NS_W "\">");
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		dynbuf_addf(b,
			    "<w:font w:name=\"%s\"><w:altName w:val=\"%s\"/>"
			    "<w:charset w:val=\"86\"/><w:family"
			    " w:val=\"%s\"/><w:pitch w:val=\"fixed\"/>"
			    "</w:font>",
			    f[i].name, f[i].alt, f[i].family);
	dynbuf_add(b, "</w:fonts>");
}

static void part_content_types(struct dynbuf *b)
{
	static const struct {
		const char *part, *type;
	} o[] = {
		{ "/word/document.xml", "wordprocessingml.document.main" },
		{ "/word/styles.xml", "wordprocessingml.styles" },
		{ "/word/settings.xml", "wordprocessingml.settings" },
		{ "/word/fontTable.xml", "wordprocessingml.fontTable" },
		{ "/word/footer1.xml", "wordprocessingml.footer" },
		{ "/word/footer2.xml", "wordprocessingml.footer" },
		{ "/docProps/app.xml", "extended-properties" },
	};
	dynbuf_add(b, XML_DECL
		   "<Types xmlns=\"http://schemas.openxmlformats.org/package/"
		   "2006/content-types\"><Default Extension=\"rels\""
		   " ContentType=\"application/vnd.openxmlformats-package."
		   "relationships+xml\"/><Default Extension=\"xml\""
		   " ContentType=\"application/xml\"/>");
	for (size_t i = 0; i < sizeof(o) / sizeof(o[0]); i++)
		dynbuf_addf(b,
			    "<Override PartName=\"%s\" ContentType=\"application"
			    "/vnd.openxmlformats-officedocument.%s+xml\"/>",
			    o[i].part, o[i].type);
	dynbuf_add(b, "<Override PartName=\"/docProps/core.xml\""
		      " ContentType=\"application/vnd.openxmlformats-package."
		      "core-properties+xml\"/></Types>");
}

#define REL_PKG "http://schemas.openxmlformats.org/package/2006/relationships"
#define REL_DOC                                                      \
	"http://schemas.openxmlformats.org/officeDocument/2006/"     \
	"relationships"

static void part_rels(struct dynbuf *b)
{
	dynbuf_add(b, XML_DECL "<Relationships xmlns=\"" REL_PKG "\">"
		   "<Relationship Id=\"rId1\" Type=\"" REL_DOC
		   "/officeDocument\" Target=\"word/document.xml\"/>"
		   "<Relationship Id=\"rId2\" Type=\"" REL_PKG
		   "/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
		   "<Relationship Id=\"rId3\" Type=\"" REL_DOC
		   "/extended-properties\" Target=\"docProps/app.xml\"/>"
		   "</Relationships>");
}

static void part_document_rels(struct dynbuf *b)
{
	dynbuf_add(b, XML_DECL "<Relationships xmlns=\"" REL_PKG "\">"
		   "<Relationship Id=\"rId1\" Type=\"" REL_DOC
		   "/styles\" Target=\"styles.xml\"/>"
		   "<Relationship Id=\"rId2\" Type=\"" REL_DOC
		   "/settings\" Target=\"settings.xml\"/>"
		   "<Relationship Id=\"rId3\" Type=\"" REL_DOC
		   "/fontTable\" Target=\"fontTable.xml\"/>"
		   "<Relationship Id=\"rId4\" Type=\"" REL_DOC
		   "/footer\" Target=\"footer1.xml\"/>"
		   "<Relationship Id=\"rId5\" Type=\"" REL_DOC
		   "/footer\" Target=\"footer2.xml\"/>"
		   "</Relationships>");
}

static void part_core(const struct docx *d, struct dynbuf *b)
{
	struct tm tm;
	char when[32];
	time_t t = d->created;
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	dynbuf_add(b, XML_DECL
		   "<cp:coreProperties xmlns:cp=\"http://schemas."
		   "openxmlformats.org/package/2006/metadata/core-properties\""
		   " xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
		   " xmlns:dcterms=\"http://purl.org/dc/terms/\""
		   " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
		   "<dc:title>");
	dynbuf_add_xml(b, d->title);
	dynbuf_add(b, "</dc:title><dc:creator>");
	dynbuf_add_xml(b, d->author);
	dynbuf_addf(b,
		    "</dc:creator><dcterms:created xsi:type=\"dcterms:W3CDTF\">"
		    "%s</dcterms:created><dcterms:modified"
		    " xsi:type=\"dcterms:W3CDTF\">%s</dcterms:modified>"
		    "</cp:coreProperties>",
		    when, when);
}

static void part_app(struct dynbuf *b)
{
	dynbuf_add(b, XML_DECL
		   "<Properties xmlns=\"http://schemas.openxmlformats.org/"
		   "officeDocument/2006/extended-properties\">"
		   "<Application>duban</Application></Properties>");
}

const char *const docx_part_names[] = {
	"[Content_Types].xml",	   "_rels/.rels",
	"word/document.xml",	   "word/styles.xml",
	"word/settings.xml",	   "word/fontTable.xml",
	"word/footer1.xml",	   "word/footer2.xml",
	"word/_rels/document.xml.rels", "docProps/core.xml",
	"docProps/app.xml",	   NULL,
};

duban_result docx_part(struct docx *d, const char *name, char **out,
		       size_t *len, struct duban_error *err)
{
	struct dynbuf b;
	int k = -1;
	for (int i = 0; docx_part_names[i]; i++)
		if (strcmp(docx_part_names[i], name) == 0)
			k = i;
	if (k < 0)
		return duban_fail(err, DUBAN_E_NOT_FOUND, NULL,
				  "no part '%s' in a document", name);
	dynbuf_init(&b, DOCX_MAX);
	switch (k) {
	case 0:
		part_content_types(&b);
		break;
	case 1:
		part_rels(&b);
		break;
	case 2:
		if (d->body.toobig)
			b.toobig = true;
		part_document(d, &b);
		break;
	case 3:
		part_styles(d, &b);
		break;
	case 4:
		part_settings(&b);
		break;
	case 5:
		part_fonts(&b);
		break;
	case 6:
	case 7:
		part_footer(&b, k == 7);
		break;
	case 8:
		part_document_rels(&b);
		break;
	case 9:
		part_core(d, &b);
		break;
	default:
		part_app(&b);
		break;
	}
	return dynbuf_take(&b, out, len, name, err);
}

static duban_result zip_fail(struct duban_error *err, zip_error_t *ze,
			     const char *what)
{
	return duban_fail(err, DUBAN_E_INTERNAL, NULL,
			  "unable to %s the document: %s", what,
			  zip_error_strerror(ze));
}

duban_result docx_build(struct docx *d, char **out, size_t *len,
			struct duban_error *err)
{
	enum { NPARTS = 11 };
	char *data[NPARTS] = { 0 };
	size_t size[NPARTS] = { 0 };
	zip_error_t ze;
	zip_source_t *src = NULL;
	zip_t *za = NULL;
	duban_result result = DUBAN_OK;
	char *buf = NULL;
	zip_error_init(&ze);
	for (int i = 0; i < NPARTS && !result; i++)
		result = docx_part(d, docx_part_names[i], &data[i], &size[i],
				   err);
	if (result)
		goto out;
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	if (!src) {
		result = zip_fail(err, &ze, "start");
		goto out;
	}
	zip_source_keep(src); /* it outlives the archive: we read it back */
	za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	if (!za) {
		result = zip_fail(err, &ze, "open");
		goto out;
	}
	for (int i = 0; i < NPARTS; i++) {
		zip_source_t *s = zip_source_buffer(za, data[i], size[i], 0);
		zip_int64_t idx =
			s ? zip_file_add(za, docx_part_names[i], s,
					 ZIP_FL_ENC_UTF_8)
			  : -1;
		if (idx < 0) {
			zip_source_free(s);
			result = duban_fail(err, DUBAN_E_INTERNAL, NULL,
					    "unable to add '%s': %s",
					    docx_part_names[i],
					    zip_strerror(za));
			goto out;
		}
		zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE,
					 0);
		zip_file_set_mtime(za, (zip_uint64_t)idx, d->created, 0);
	}
	if (zip_close(za) < 0) {
		result = duban_fail(err, DUBAN_E_INTERNAL, NULL,
				    "unable to write the document: %s",
				    zip_strerror(za));
		zip_discard(za);
		za = NULL;
		goto out;
	}
	za = NULL;
	if (zip_source_open(src) < 0) {
		result = duban_fail(err, DUBAN_E_INTERNAL, NULL,
				    "unable to read the document back");
		goto out;
	}
	zip_source_seek(src, 0, SEEK_END);
	zip_int64_t n = zip_source_tell(src);
	zip_source_seek(src, 0, SEEK_SET);
	if (n < 0 || (zip_uint64_t)n > DOCX_MAX) {
		zip_source_close(src);
		result = duban_fail(err, DUBAN_E_TOO_LARGE, NULL,
				    "the document is too large");
		goto out;
	}
	buf = xmalloc((size_t)n + 1);
	zip_int64_t got = zip_source_read(src, buf, (zip_uint64_t)n);
	zip_source_close(src);
	if (got != n) {
		result = duban_fail(err, DUBAN_E_INTERNAL, NULL,
				    "unable to read the document back");
		goto out;
	}
	*out = buf;
	*len = (size_t)n;
	buf = NULL;
out:
	if (za)
		zip_discard(za);
	zip_source_free(src);
	zip_error_fini(&ze);
	free(buf);
	for (int i = 0; i < NPARTS; i++)
		free(data[i]);
	return result;
}
