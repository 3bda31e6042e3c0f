// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "sched_delay": sched.c's delay arithmetic against the timer
 * wheel of kernel/time/timer.c, for every wait from one jiffy to one hour at
 * every HZ that Kconfig offers. scripts/debug/lane.sh appends it to a copy of
 * sched.c, which tests/guest/kunit_test.sh loads; users' sched.ko never has it.
 *
 * The model of the wheel: calc_wheel_index() picks the level from the delta
 * between the expiry and the wheel's clock, and calc_index() puts the timer in
 * the level's first bucket after its expiry: it fires between one jiffy and one
 * granule late. Level 0 (granule one jiffy) is the only exact one.
 */
#include <kunit/test.h>

/* The wheel's geometry, as kernel/time/timer.c defines it (LVL_*). */
#define WHEEL_LVL_CLK_SHIFT 3
#define WHEEL_LVL_SIZE 64UL
#define WHEEL_LVL_DEPTH 9
/* LVL_GRAN(n): the granule of level n, in jiffies. */
#define WHEEL_LVL_GRAN(n) (1UL << (WHEEL_LVL_CLK_SHIFT * (n)))

#define ONE_HOUR_S 3600

/*
 * The level calc_wheel_index() picks for a timer armed @delay jiffies ahead
 * while the wheel's clock lags jiffies, as it may on an idle NO_HZ CPU (the
 * base is forwarded only to its next expiry), by one level-1 granule, the
 * lag allowed. The level only grows with the lag: the largest is the worst.
 */
static unsigned int wheel_level(unsigned long delay)
{
	unsigned long delta = delay + WHEEL_LVL_GRAN(1);
	unsigned int lvl = 0;

	/* Level lvl + 1 starts (LVL_START) at 63 granules of level lvl. */
	while (lvl + 1 < WHEEL_LVL_DEPTH &&
	       delta >= (WHEEL_LVL_SIZE - 1) * WHEEL_LVL_GRAN(lvl))
		lvl++;
	return lvl;
}

static const unsigned int sched_kunit_hz[] = { 100, 250, 300, 1000 };

static void sched_kunit_hz_desc(const unsigned int *hz, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "HZ=%u", *hz);
}

KUNIT_ARRAY_PARAM(sched_kunit_hz, sched_kunit_hz, sched_kunit_hz_desc);

/*
 * Every wait the module treats as the last leg (it arms all that remains)
 * lands in level 0, even with the wheel's clock lagging: a wait of 63 jiffies
 * armed whole is rounded up to the next level-1 bucket.
 */
static void last_leg_fires_in_wheel_level_0(struct kunit *test)
{
	const unsigned int hz = *(const unsigned int *)test->param_value;
	const u32 tick_ns = NSEC_PER_SEC / hz;
	unsigned long r, d;

	for (r = 1; r <= ONE_HOUR_S * hz; r++) {
		d = schedmod_jiffies((s64)r * tick_ns, tick_ns);
		if (d == r && wheel_level(d) != 0) {
			KUNIT_FAIL(test, "%lu jiffies armed whole, in level %u",
				   r, wheel_level(d));
			return;
		}
		if (!(r % 4096))
			cond_resched();
	}
}

/*
 * No leg fires later than the exact last leg would (one jiffy after the
 * deadline), and every leg moves on: an intermediate run only re-arms, so a
 * leg that overshot would make the run late.
 */
static void no_leg_fires_after_the_deadline(struct kunit *test)
{
	const unsigned int hz = *(const unsigned int *)test->param_value;
	const u32 tick_ns = NSEC_PER_SEC / hz;
	unsigned long r, d, latest;

	for (r = 1; r <= ONE_HOUR_S * hz; r++) {
		d = schedmod_jiffies((s64)r * tick_ns, tick_ns);
		latest = d + WHEEL_LVL_GRAN(wheel_level(d));
		if (d < 1 || d > r || latest > r + 1) {
			KUNIT_FAIL(test,
				   "%lu jiffies: arms %lu, may fire at %lu", r,
				   d, latest);
			return;
		}
		if (!(r % 4096))
			cond_resched();
	}
}

static struct kunit_case sched_delay_cases[] = {
	KUNIT_CASE_PARAM(last_leg_fires_in_wheel_level_0,
			 sched_kunit_hz_gen_params),
	KUNIT_CASE_PARAM(no_leg_fires_after_the_deadline,
			 sched_kunit_hz_gen_params),
	{}
};

static struct kunit_suite sched_delay_suite = {
	.name = "sched_delay",
	.test_cases = sched_delay_cases,
};

kunit_test_suite(sched_delay_suite);
