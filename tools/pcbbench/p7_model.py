#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
A model of P7 (sched_jobs.c) under the textbook's FCFS, SJF and HRRN:
the same plan (erand48 with the same seed, so the same jobs at the same
offsets), the same worker pools, non-preemptive, on N CPUs with no
switching cost. It shows what each rule gives on this job mix by itself,
without a kernel: how far below FCFS a policy can get when its
implementation is exact.

usage: p7_model.py [--jobs 400] [--load 0.9] [--capacity 1.98] [--seed 7]
                   [--cpus 2]
"""
import argparse
import heapq
import math

NR_CLASSES = 7
POOL = [8, 8, 6, 4, 3, 3, 3]  # workers per class, as in sched_jobs.c
TRAIN = 3  # jobs each worker runs before the clock starts
TAU0 = 10.0  # ms, pcb_pick.bpf.h's estimate for a new task


class Erand48:
    """The C library's erand48(), so the plan matches pcbbench's."""

    def __init__(self, xs):
        self.x = xs[0] | (xs[1] << 16) | (xs[2] << 32)

    def random(self):
        self.x = (0x5DEECE66D * self.x + 0xB) & ((1 << 48) - 1)
        return self.x / 2.0**48


def plan_jobs(nr_jobs, load, capacity, seed):
    """plan_jobs() of sched_jobs.c: (arrival ms, class, length ms)."""
    xs = Erand48([0x330E, seed, seed ^ 0x5A5A])
    mean = sum(1.0 for k in range(NR_CLASSES))
    mean /= sum(1.0 / (1 << k) for k in range(NR_CLASSES))
    gap = mean / (load * capacity)
    t, jobs = 0.0, []
    for _ in range(nr_jobs):
        t += -gap * math.log(1 - xs.random())
        u = xs.random() * (2.0 - 1.0 / (1 << (NR_CLASSES - 1)))
        edge, k = 1.0, 0
        while k < NR_CLASSES - 1 and u >= edge:
            u -= edge
            edge /= 2
            k += 1
        jobs.append((t, k, (1 << k) * (0.8 + 0.4 * xs.random())))
    return jobs


def run(jobs, rule, cpus):
    """Mean turnaround and worst wait (ms) of @jobs under @rule."""
    est = {}
    for k in range(NR_CLASSES):
        for w in range(POOL[k]):
            e = TAU0
            for _ in range(TRAIN):
                e = e / 2 + (1 << k) / 2
            est[(k, w)] = e
    per_class = [[i for i, j in enumerate(jobs) if j[1] == k]
                 for k in range(NR_CLASSES)]
    taken = [0] * NR_CLASSES
    pending, ready = [], []  # (runnable at, job, worker)

    def take(worker, t):
        k = worker[0]
        if taken[k] < len(per_class[k]):
            i = per_class[k][taken[k]]
            taken[k] += 1
            heapq.heappush(pending, (max(t, jobs[i][0]), i, worker))

    for worker in est:
        take(worker, 0.0)
    free = [0.0] * cpus
    finish = {}
    while len(finish) < len(jobs):
        c = min(range(cpus), key=lambda c: free[c])
        t = free[c]
        while pending and pending[0][0] <= t:
            ready.append(heapq.heappop(pending))
        if not ready:
            free[c] = pending[0][0]
            continue

        def key(entry):
            enq, _, worker = entry
            s = est[worker]
            if rule == "fcfs":
                return (enq,)
            if rule == "sjf":
                return (s, enq)
            return (-(t - enq + s) / s, enq)  # hrrn

        ready.sort(key=key)
        _, i, worker = ready.pop(0)
        length = jobs[i][2]
        free[c] = finish[i] = t + length
        est[worker] = est[worker] / 2 + length / 2
        take(worker, finish[i])
    tat = [finish[i] - j[0] for i, j in enumerate(jobs)]
    wait = [tat[i] - j[2] for i, j in enumerate(jobs)]
    return sum(tat) / len(tat), max(wait)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--jobs", type=int, default=400)
    ap.add_argument("--load", type=float, default=0.9)
    ap.add_argument("--capacity", type=float, default=1.98)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--cpus", type=int, default=2)
    o = ap.parse_args()
    jobs = plan_jobs(o.jobs, o.load, o.capacity, o.seed)
    fcfs = run(jobs, "fcfs", o.cpus)[0]
    for rule in ("fcfs", "sjf", "hrrn"):
        tat, worst = run(jobs, rule, o.cpus)
        print("%-5s mean TAT %6.1f ms  xFCFS %.3f  worst wait %6.1f ms" %
              (rule, tat, tat / fcfs, worst))


if __name__ == "__main__":
    main()
