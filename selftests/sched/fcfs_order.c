// SPDX-License-Identifier: GPL-2.0
/*
 * pcb_fcfs on one CPU: jobs of known lengths finish in the order a
 * userspace model of FCFS computes from the same arrivals (order.h).
 *
 * timeout: 200
 * needs: sched_ext
 */
#include "order.h"

int main(void)
{
	return run_order_test("fcfs", FCFS);
}
