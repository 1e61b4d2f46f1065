// SPDX-License-Identifier: GPL-2.0
/*
 * pcb_hrrn on one CPU: jobs of known lengths finish in the order a
 * userspace model of HRRN computes from the same arrivals (order.h).
 *
 * timeout: 200
 * needs: sched_ext
 */
#include "order.h"

int main(void)
{
	return run_order_test("hrrn", HRRN);
}
