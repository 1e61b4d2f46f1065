// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "measure.h"

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double percentile_sorted(const double *sorted, size_t n, double p)
{
	size_t rank;

	if (!n)
		return 0;
	rank = (size_t)ceil(p / 100.0 * n);
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

static double median_sorted(const double *sorted, size_t n)
{
	if (!n)
		return 0;
	return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

double median(double *samples, size_t n)
{
	qsort(samples, n, sizeof(*samples), cmp_double);
	return median_sorted(samples, n);
}

double median_ci95_of(double *samples, size_t n, double *lo, double *hi)
{
	double m = median(samples, n);

	median_ci95(samples, n, lo, hi);
	return m;
}

void median_ci95(const double *sorted, size_t n, double *lo, double *hi)
{
	/* Normal approximation to Binomial(n, 1/2), 1.96 sigma each side. */
	double half = 0.98 * sqrt((double)n);
	long j = (long)floor(n / 2.0 - half);
	long k = (long)ceil(1 + n / 2.0 + half);

	if (!n) {
		*lo = *hi = 0;
		return;
	}
	if (j < 1)
		j = 1;
	if (k > (long)n)
		k = n;
	*lo = sorted[j - 1];
	*hi = sorted[k - 1];
}

const char *verdict_at_most(double lo, double hi, double goal)
{
	if (hi <= goal)
		return "met";
	return lo > goal ? "not met" : "undecided";
}

const char *verdict_at_least(double lo, double hi, double goal)
{
	if (lo >= goal)
		return "met";
	return hi < goal ? "not met" : "undecided";
}

void summarize(double *samples, size_t n, struct summary *s)
{
	double sum = 0, sq = 0;
	size_t i;

	memset(s, 0, sizeof(*s));
	if (!n)
		return;
	qsort(samples, n, sizeof(*samples), cmp_double);
	for (i = 0; i < n; i++)
		sum += samples[i];
	s->n = n;
	s->mean = sum / n;
	for (i = 0; i < n; i++)
		sq += (samples[i] - s->mean) * (samples[i] - s->mean);
	s->stddev = n > 1 ? sqrt(sq / (n - 1)) : 0;
	s->min = samples[0];
	s->max = samples[n - 1];
	s->p50 = median_sorted(samples, n);
	s->p90 = percentile_sorted(samples, n, 90);
	s->p99 = percentile_sorted(samples, n, 99);
}
