/* Bench mode of the test firmware (bench.c); the counts are also the bench script's. */
#ifndef CSVSM_GUEST_BENCH_H
#define CSVSM_GUEST_BENCH_H

#define BENCH_QUERY 16
#define BENCH_ONE 16
#define BENCH_MANY 2
#define BENCH_HUGE 4
#define BENCH_HUGE_PAGES 4

void bench_calls(void);

#endif
