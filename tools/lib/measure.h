/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Measuring for pcbbench and the tests: a monotonic clock and summaries of
 * samples. Every benchmark reports through these so that all numbers mean
 * the same thing (nanoseconds, nearest-rank percentiles).
 */
#ifndef PCBKIT_MEASURE_H
#define PCBKIT_MEASURE_H

#include <stddef.h>
#include <stdint.h>

uint64_t now_ns(void);

struct summary {
	size_t n;
	double mean;
	double stddev;
	double min;
	double p50;
	double p90;
	double p99;
	double max;
};

/*
 * Sorts samples in place and fills *s; n == 0 gives all zeros. p50 is
 * median()'s, p90 and p99 nearest-rank percentiles.
 */
void summarize(double *samples, size_t n, struct summary *s);

/*
 * The median of @n samples, which it sorts in place: the middle one, or
 * the mean of the middle two; 0 if there are none. Every median pcbkit
 * reports is this one.
 */
double median(double *samples, size_t n);

/* median() and median_ci95() of the same samples in one call. */
double median_ci95_of(double *samples, size_t n, double *lo, double *hi);

/* Nearest-rank percentile of sorted samples, p in [0, 100]. */
double percentile_sorted(const double *sorted, size_t n, double p);

/*
 * A distribution-free 95% confidence interval for the median of sorted
 * samples: the order statistics the binomial count of samples below the
 * true median stays between 95% of the time. With fewer than six samples
 * it is the whole range.
 */
void median_ci95(const double *sorted, size_t n, double *lo, double *hi);

/*
 * A goal of "at most @goal" against such an interval: "met" if all of it
 * is at or below the goal, "not met" if all of it is above, else
 * "undecided" (the samples cannot tell).
 */
const char *verdict_at_most(double lo, double hi, double goal);
/* The same for a goal of "at least @goal". */
const char *verdict_at_least(double lo, double hi, double goal);

#endif /* PCBKIT_MEASURE_H */
