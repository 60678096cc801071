#include "core/ranking.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int64_t ranking_centi(double points)
{
	double c = points * 100.0;
	/* a product like 62.5 * 100 may land a hair below the half */
	c = c < 0 ? -floor(-c + 0.5 + 1e-9) : floor(c + 0.5 + 1e-9);
	if (c > 9e15)
		c = 9e15;
	if (c < -9e15)
		c = -9e15;
	return (int64_t)c;
}

int64_t ranking_score(struct score_part *parts, size_t n,
		      struct score_extra *extra)
{
	double total = 0;
	int64_t score = 0;
	for (size_t i = 0; i < n; i++)
		if (parts[i].applicable && parts[i].weight > 0)
			total += parts[i].weight;
	for (size_t i = 0; i < n; i++) {
		struct score_part *p = &parts[i];
		p->share = 0;
		p->contribution = 0;
		if (!p->applicable || p->weight <= 0 || total <= 0)
			continue;
		double v = p->value < 0 ? 0 : p->value > 100 ? 100 : p->value;
		p->share = 100.0 * p->weight / total;
		p->contribution = ranking_centi(p->weight * v / total);
		score += p->contribution;
	}
	if (extra) {
		double b = extra->bonus > 0 ? extra->bonus : 0;
		double d = extra->deduction > 0 ? extra->deduction : 0;
		if (extra->bonus_cap >= 0 && b > extra->bonus_cap)
			b = extra->bonus_cap;
		if (extra->deduction_cap >= 0 && d > extra->deduction_cap)
			d = extra->deduction_cap;
		extra->bonus_c = ranking_centi(b);
		extra->deduction_c = ranking_centi(d);
		score += extra->bonus_c - extra->deduction_c;
	}
	return score;
}

/* vetoed last; then score, highest first; then unit id */
static int cmp_entry(const void *a, const void *b)
{
	const struct rank_entry *x = a, *y = b;
	if (x->vetoed != y->vetoed)
		return x->vetoed ? 1 : -1;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->unit_id < y->unit_id ? -1 : x->unit_id > y->unit_id;
}

void ranking_rank(struct rank_entry *e, size_t n)
{
	if (n > 1)
		qsort(e, n, sizeof(*e), cmp_entry);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && e[j].vetoed == e[i].vetoed &&
		       e[j].score == e[i].score)
			j++;
		for (size_t k = i; k < j; k++) {
			e[k].rank = (int)i + 1;
			e[k].first = (int)i + 1;
			e[k].last = (int)j;
		}
		i = j;
	}
}

/* floor(n * share), robust against 0.2 * 10 landing just under 2 */
static long positions(size_t n, double share)
{
	if (share <= 0)
		return 0;
	if (share >= 1)
		return (long)n;
	return (long)floor((double)n * share + 1e-9);
}

void ranking_grade(struct rank_entry *e, size_t n,
		   const struct grade_rule *rule)
{
	long ex = positions(n, rule->excellent_share);
	long fa = positions(n, rule->fair_share);
	for (size_t i = 0; i < n; i++) {
		struct rank_entry *x = &e[i];
		if (x->vetoed) {
			x->grade = GRADE_FAIR;
		} else if (rule->by_threshold) {
			x->grade = x->score >= rule->excellent_min ? GRADE_EXCELLENT
				   : x->score < rule->good_min	    ? GRADE_FAIR
								    : GRADE_GOOD;
		} else if (x->last <= ex) {
			x->grade = GRADE_EXCELLENT;
		} else if (x->first > (long)n - fa) {
			x->grade = GRADE_FAIR;
		} else {
			x->grade = GRADE_GOOD;
		}
	}
}

static const char *const grade_names[] = { "excellent", "good", "fair" };
static const char *const grade_labels[] = { "优秀", "较好", "一般" };

const char *ranking_grade_name(enum rank_grade g)
{
	return (unsigned)g < 3 ? grade_names[g] : "fair";
}

int ranking_grade_parse(const char *s)
{
	for (int i = 0; s && i < 3; i++)
		if (strcmp(s, grade_names[i]) == 0)
			return i;
	return -1;
}

const char *ranking_grade_label(enum rank_grade g)
{
	return (unsigned)g < 3 ? grade_labels[g] : grade_labels[2];
}

bool ranking_period_previous(const char *p, char out[8])
{
	size_t n = p ? strlen(p) : 0;
	int y = 0;
	if (n != 4 && n != 7)
		return false;
	for (int i = 0; i < 4; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		y = y * 10 + (p[i] - '0');
	}
	if (y < 1901 || y > 2200)
		return false;
	if (n == 4) {
		snprintf(out, 8, "%04d", y - 1);
		return true;
	}
	if (p[4] != '-')
		return false;
	if (p[5] == 'Q' && p[6] >= '1' && p[6] <= '4') {
		if (p[6] == '1')
			snprintf(out, 8, "%04d-Q4", y - 1);
		else
			snprintf(out, 8, "%04d-Q%c", y, p[6] - 1);
		return true;
	}
	if (p[5] == 'H' && (p[6] == '1' || p[6] == '2')) {
		if (p[6] == '1')
			snprintf(out, 8, "%04d-H2", y - 1);
		else
			snprintf(out, 8, "%04d-H1", y);
		return true;
	}
	if (p[5] >= '0' && p[5] <= '1' && p[6] >= '0' && p[6] <= '9') {
		int m = (p[5] - '0') * 10 + (p[6] - '0');
		if (m < 1 || m > 12)
			return false;
		if (m == 1)
			snprintf(out, 8, "%04d-12", y - 1);
		else
			snprintf(out, 8, "%04d-%02d", y, m - 1);
		return true;
	}
	return false;
}
