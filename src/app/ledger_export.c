#include "app/ledger_export.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "app/problems.h"
#include "base/date.h"
#include "base/xalloc.h"

static const char *const headers[] = {
	"序号",	   "单位",     "问题来源", "问题类别", "问题描述", "整改措施",
	"责任人", "整改时限", "整改进展", "状态",	   "销号日期",
};
#define NCOLS 11
/* widths in characters: CJK text is about two per character */
static const double widths[NCOLS] = { 6,  22, 14, 14, 48, 40,
				      10, 12, 36, 12, 12 };

struct xlsx_ctx {
	lxw_worksheet *ws;
	lxw_format *text, *date, *late_text, *late_date;
	lxw_row_t row;
};

static lxw_datetime to_datetime(int32_t day)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	lxw_datetime dt = { y, m, d, 0, 0, 0.0 };
	return dt;
}

static duban_result xlsx_row(const struct ledger_row *r, void *ctx,
			     struct duban_error *err)
{
	struct xlsx_ctx *x = ctx;
	lxw_format *t = r->overdue ? x->late_text : x->text;
	lxw_format *d = r->overdue ? x->late_date : x->date;
	const char *cells[NCOLS] = { NULL,	     r->unit,	  r->source,
				     r->category,    r->description, r->measures,
				     r->responsible, NULL,	  r->progress,
				     r->status,	     NULL };
	lxw_row_t row = ++x->row;
	(void)err;
	worksheet_write_number(x->ws, row, 0, (double)r->seq, t);
	for (lxw_col_t c = 1; c < NCOLS; c++) {
		if (cells[c])
			worksheet_write_string(x->ws, row, c, cells[c], t);
		else if (c != 7 && c != 10)
			worksheet_write_blank(x->ws, row, c, t);
	}
	if (r->due_on) {
		lxw_datetime dt = to_datetime(r->due_on);
		worksheet_write_datetime(x->ws, row, 7, &dt, d);
	} else {
		worksheet_write_blank(x->ws, row, 7, t);
	}
	if (r->closed_on) {
		lxw_datetime dt = to_datetime(r->closed_on);
		worksheet_write_datetime(x->ws, row, 10, &dt, d);
	} else {
		worksheet_write_blank(x->ws, row, 10, t);
	}
	return DUBAN_OK;
}

duban_result ledger_export_xlsx(struct store *s, const struct actor *a,
				int64_t campaign_id, int32_t as_of,
				const char *tmpdir, int *fd, size_t *size,
				struct duban_error *err)
{
	char path[512];
	struct stat sb;
	duban_result result;
	lxw_workbook *wb = NULL;
	int tfd;
	*fd = -1;
	snprintf(path, sizeof(path), "%s/duban-ledger-XXXXXX",
		 tmpdir ? tmpdir : "/tmp");
	/* a unique name we own; libxlsxwriter writes the zip there */
	tfd = mkstemp(path);
	if (tfd < 0)
		return duban_fail(err, DUBAN_E_IO, NULL,
				  "unable to create a file in '%s': %s",
				  tmpdir ? tmpdir : "/tmp", strerror(errno));
	close(tfd);
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE,
				     .tmpdir = (char *)(tmpdir ? tmpdir
							       : "/tmp") };
	wb = workbook_new_opt(path, &opt);
	if (!wb) {
		unlink(path);
		return duban_fail(err, DUBAN_E_IO, NULL,
				  "unable to start the workbook");
	}
	lxw_worksheet *ws = workbook_add_worksheet(wb, "整改台账");
	lxw_format *head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_bg_color(head, 0xDDEBF7);
	format_set_border(head, LXW_BORDER_THIN);
	format_set_text_wrap(head);
	format_set_align(head, LXW_ALIGN_CENTER);
	format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
	struct xlsx_ctx x = { ws, workbook_add_format(wb),
			      workbook_add_format(wb), workbook_add_format(wb),
			      workbook_add_format(wb), 0 };
	lxw_format *all[4] = { x.text, x.date, x.late_text, x.late_date };
	for (int i = 0; i < 4; i++) {
		format_set_border(all[i], LXW_BORDER_THIN);
		format_set_text_wrap(all[i]);
		format_set_align(all[i], LXW_ALIGN_VERTICAL_TOP);
	}
	format_set_num_format(x.date, "yyyy-mm-dd");
	format_set_num_format(x.late_date, "yyyy-mm-dd");
	/* overdue rows stand out */
	format_set_bg_color(x.late_text, 0xFCE4D6);
	format_set_bg_color(x.late_date, 0xFCE4D6);
	format_set_font_color(x.late_text, 0x9C0006);
	format_set_font_color(x.late_date, 0x9C0006);
	for (lxw_col_t c = 0; c < NCOLS; c++)
		worksheet_set_column(ws, c, c, widths[c], NULL);
	worksheet_freeze_panes(ws, 1, 0);
	/* in constant-memory mode rows go out in order: header first */
	for (lxw_col_t c = 0; c < NCOLS; c++)
		worksheet_write_string(ws, 0, c, headers[c], head);
	result = campaign_ledger_rows(s, a, campaign_id, as_of, xlsx_row, &x,
				      err);
	worksheet_autofilter(ws, 0, 0, x.row, NCOLS - 1);
	lxw_error rc = workbook_close(wb);
	if (result == DUBAN_OK && rc != LXW_NO_ERROR)
		result = duban_fail(err, DUBAN_E_IO, NULL,
				    "unable to write the workbook: %s",
				    lxw_strerror(rc));
	if (result == DUBAN_OK) {
		*fd = open(path, O_RDONLY | O_CLOEXEC);
		if (*fd < 0 || fstat(*fd, &sb) != 0) {
			result = duban_fail(err, DUBAN_E_IO, NULL,
					    "unable to read the workbook back");
			if (*fd >= 0)
				close(*fd);
			*fd = -1;
		} else {
			*size = (size_t)sb.st_size;
		}
	}
	unlink(path);
	return result;
}

struct csv_ctx {
	char *buf;
	size_t len, cap;
};

static void put(struct csv_ctx *c, const char *s, size_t n)
{
	if (c->len + n + 1 > c->cap) {
		c->cap = (c->len + n + 1) * 2;
		c->buf = xrealloc(c->buf, c->cap);
	}
	memcpy(c->buf + c->len, s, n);
	c->len += n;
}

/* RFC 4180 quoting; a leading = + - @ is defused against formula
 * injection when the file is opened in a spreadsheet */
static void field(struct csv_ctx *c, const char *s, bool last)
{
	put(c, "\"", 1);
	if (s && (*s == '=' || *s == '+' || *s == '-' || *s == '@'))
		put(c, "'", 1);
	for (const char *p = s; p && *p; p++) {
		if (*p == '"')
			put(c, "\"\"", 2);
		else
			put(c, p, 1);
	}
	put(c, last ? "\"\r\n" : "\",", last ? 3 : 2);
}

static duban_result csv_row(const struct ledger_row *r, void *ctx,
			    struct duban_error *err)
{
	struct csv_ctx *c = ctx;
	char seq[24], due[11] = "", closed[11] = "";
	(void)err;
	snprintf(seq, sizeof(seq), "%lld", (long long)r->seq);
	if (r->due_on)
		date_format(r->due_on, due);
	if (r->closed_on)
		date_format(r->closed_on, closed);
	const char *cells[NCOLS] = { seq,	   r->unit,	   r->source,
				     r->category,  r->description, r->measures,
				     r->responsible, due,	   r->progress,
				     r->status,	   closed };
	for (int i = 0; i < NCOLS; i++)
		field(c, cells[i], i == NCOLS - 1);
	return DUBAN_OK;
}

duban_result ledger_export_csv(struct store *s, const struct actor *a,
			       int64_t campaign_id, int32_t as_of, char **buf,
			       size_t *len, struct duban_error *err)
{
	struct csv_ctx c = { NULL, 0, 0 };
	put(&c, "\xEF\xBB\xBF", 3);
	for (int i = 0; i < NCOLS; i++)
		field(&c, headers[i], i == NCOLS - 1);
	duban_result result =
		campaign_ledger_rows(s, a, campaign_id, as_of, csv_row, &c, err);
	if (result) {
		free(c.buf);
		return result;
	}
	*buf = c.buf;
	*len = c.len;
	return DUBAN_OK;
}
