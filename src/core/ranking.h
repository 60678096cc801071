/*
 * ranking.h - scores, ranks and grades (考核、排名、定档) as pure functions.
 *
 * Scores are kept in centi-points (hundredths of a point, int64) so that
 * equal scores compare equal and an explanation's contributions add up to
 * the score exactly.
 *
 * Score.  Each component i has a weight w_i >= 0 and, when there is
 * something to measure, a value v_i in 0..100.  A component with nothing to
 * measure (no tasks, no problems, no rated complaints, no survey) is left
 * out and the weights of the others are scaled up to fill its place:
 *
 *     contribution_i = round2(w_i * v_i / sum of w_j over applicable j)
 *     score = sum of contribution_i + min(bonus, bonus_cap)
 *                                   - min(deduction, deduction_cap)
 *
 * round2 rounds to hundredths, halves away from zero.  A negative cap means
 * no cap.
 *
 * Ranks.  Units that are not vetoed come first, by score, highest first;
 * vetoed units (一票否决) follow, by score.  Ranks are competition ranks
 * ("1, 2, 2, 4"): a unit's rank is one more than the number of units placed
 * strictly before it; units with the same score (and veto state) share a
 * rank and are listed by unit id.
 *
 * Grades.  excellent (优秀), good (较好), fair (一般); a vetoed unit is
 * always fair.  By shares (default 20 % and 20 % of the units assessed,
 * vetoed ones included): with N units, E = floor(N * excellent_share) and
 * F = floor(N * fair_share) positions; a group of tied units is excellent
 * when its last position is <= E (ties never push the excellent grade past
 * its share), fair when its first position is > N - F (a unit is never
 * made fair while it ties with one that is not).  By thresholds: excellent
 * at score >= excellent_min, fair below good_min.
 */
#ifndef DUBAN_CORE_RANKING_H
#define DUBAN_CORE_RANKING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum rank_grade { GRADE_EXCELLENT, GRADE_GOOD, GRADE_FAIR };

/** One weighted component of a score. */
struct score_part {
	double weight;       /* in: >= 0 */
	bool applicable;     /* in: false when there is nothing to measure */
	double value;        /* in: 0..100 when applicable */
	double share;        /* out: the weight's share in percent, 0 when
				not applicable */
	int64_t contribution; /* out: centi-points */
};

/** What a unit gets besides its components. */
struct score_extra {
	double bonus, bonus_cap;         /* points (加分); cap < 0: none */
	double deduction, deduction_cap; /* points (扣分); cap < 0: none */
	int64_t bonus_c, deduction_c;    /* out: centi-points counted, >= 0 */
};

/** Rounds points to centi-points, halves away from zero. */
int64_t ranking_centi(double points);

/**
 * Fills each part's share and contribution and returns the score in
 * centi-points (the contributions plus bonus_c minus deduction_c).
 */
int64_t ranking_score(struct score_part *parts, size_t n,
		      struct score_extra *extra);

struct rank_entry {
	int64_t unit_id;
	int64_t score; /* centi-points */
	bool vetoed;
	int rank;                /* out: 1.. */
	int first, last;         /* out: the 1-based positions its tie group
				    occupies */
	enum rank_grade grade;   /* out */
};

/** Sorts e into ranking order and fills rank, first and last. */
void ranking_rank(struct rank_entry *e, size_t n);

struct grade_rule {
	bool by_threshold;
	double excellent_share, fair_share; /* 0..1, sum <= 1 */
	int64_t excellent_min, good_min;    /* centi-points */
};

/** Grades entries already ranked by ranking_rank(). */
void ranking_grade(struct rank_entry *e, size_t n,
		   const struct grade_rule *rule);

/** "excellent", "good", "fair"; the reverse gives -1 when unknown. */
const char *ranking_grade_name(enum rank_grade g);
int ranking_grade_parse(const char *s);

/** 优秀, 较好, 一般. */
const char *ranking_grade_label(enum rank_grade g);

/**
 * The period of the same kind just before p ("2021-H1" -> "2020-H2",
 * "2021-01" -> "2020-12", "2021-Q1" -> "2020-Q4", "2021" -> "2020") into
 * out (8 bytes); false when p is not a period.
 */
bool ranking_period_previous(const char *p, char out[8]);

#endif
