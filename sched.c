// SPDX-License-Identifier: GPL-2.0
/*
 * sched - run a housekeeping function periodically and count how often it ran
 *
 * A self-requeuing delayed_work on a dedicated workqueue runs schedmod_tick()
 * every interval_ms milliseconds. The runs sit on a fixed grid: the k-th run
 * is due at (grid start + k * interval), and each run computes its delay to
 * the next grid point from the clock read after the housekeeping has run, so
 * neither scheduling latency nor the housekeeping's own run time accumulates
 * into drift or lateness. A grid point that passes without a run, because the
 * run came late or the previous one was still busy, is added to "missed" and
 * the grid moves on, as hrtimer_forward() does, instead of firing a burst of
 * catch-up runs.
 *
 * What the user sees:
 *   /proc/sched (0444)   line 1 is the original guide's
 *                        "Timer called N times so far", then "key: value"
 *                        lines: ticks, missed, interval_ms, max_late_us.
 *   /sys/module/sched/parameters/interval_ms (0644)
 *                        period in ms, 1..3600000. A new value takes effect
 *                        at once and keeps the phase of the last run: the
 *                        next run comes one new period after the last one,
 *                        or at once if that moment has passed, so no
 *                        sequence of writes can keep the housekeeping from
 *                        running. The value already set changes nothing.
 *
 * The state is one struct that the work finds with container_of(), as a
 * driver with one instance per device would; this module has one instance.
 *
 * Descends from the "Scheduling Tasks" chapter of the Linux Kernel Module
 * Programming Guide, which re-queued with a fixed delay after each run (and so
 * drifted) and could leave its work queued at unload.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/version.h>
#include <linux/workqueue.h>

/*
 * The oldest kernel it is built and tested on; dkms.conf says the same.
 * LINUX_VERSION_CODE, because LINUX_VERSION_MAJOR only came in 5.12.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 10, 0)
#error "sched needs Linux 5.10 or later"
#endif

#define SCHED_INTERVAL_MIN 1U
#define SCHED_INTERVAL_MAX 3600000U /* one hour */

/*
 * The timer wheel fires a timer within a jiffy of its expiry only from its
 * first level, which holds delays below LVL_START(1) of kernel/time/timer.c;
 * it rounds longer ones up by as much as 1/8 of the delay (bench/RESULTS.md
 * measures it). Long waits are therefore armed for 7/8 of what remains; the
 * early run only re-arms, and the last leg is short enough to be exact.
 * tests/kunit/sched_kunit.c checks this arithmetic against the wheel's.
 */
#define SCHED_WHEEL_LVL0_END 63 /* LVL_START(1) */
/* Margin: the wheel's clock can lag jiffies on an idle NO_HZ CPU. */
#define SCHED_EXACT_JIFFIES (SCHED_WHEEL_LVL0_END - 8)

struct schedmod {
	/* The module parameter; written under kernel_param_lock. */
	unsigned int interval_ms;

	struct workqueue_struct *wq;
	struct delayed_work work;

	/* Read by /proc/sched at any time; schedmod_tick() is the only writer. */
	atomic64_t ticks;
	atomic64_t missed;
	atomic64_t max_late_ns;

	/*
	 * Set by an interval_ms write, consumed by schedmod_tick(): take the
	 * new period. Starts set, so that the first run lays the grid.
	 */
	atomic_t regrid;

	/*
	 * True while interval_ms writes may queue the work. Guarded by the
	 * module's kernel_param_lock: sysfs parameter writes can arrive while
	 * init and exit run, and must not touch the work once exit has begun
	 * to stop it.
	 */
	bool ticking;

	/*
	 * The grid: the point the last run served (at init: load time), the
	 * next one, and the period. Only schedmod_tick() touches them after
	 * init, and a work item never runs concurrently with itself.
	 */
	ktime_t last_due;
	ktime_t next_due;
	ktime_t period;
};

static struct schedmod schedmod = {
	.interval_ms = 100,
	.ticks = ATOMIC64_INIT(0),
	.missed = ATOMIC64_INIT(0),
	.max_late_ns = ATOMIC64_INIT(0),
	.regrid = ATOMIC_INIT(1),
};

/*
 * Ticks of @tick_ns to arm for a wait of @ns: rounded up so that no run comes
 * early. The tick length is a parameter so that tests can try every HZ.
 */
static unsigned long schedmod_jiffies(s64 ns, u32 tick_ns)
{
	unsigned long j;

	if (ns <= 0)
		return 0;
	j = DIV_ROUND_UP_ULL(ns, tick_ns);
	return j < SCHED_EXACT_JIFFIES ? j : j - j / 8;
}

/* Jiffies to wait for @due. */
static unsigned long schedmod_delay(ktime_t due, ktime_t now)
{
	return schedmod_jiffies(ktime_to_ns(ktime_sub(due, now)), TICK_NSEC);
}

/* Move the grid @n points on, none of them run: count them as missed. */
static void schedmod_miss(struct schedmod *s, s64 n)
{
	atomic64_add(n, &s->missed);
	s->next_due = ktime_add_ns(s->next_due, n * s->period);
}

/* The periodic housekeeping itself: here, counting that it ran. */
static void schedmod_housekeeping(struct schedmod *s)
{
	atomic64_inc(&s->ticks);
}

static void schedmod_tick(struct work_struct *work)
{
	struct schedmod *s =
		container_of(to_delayed_work(work), struct schedmod, work);
	ktime_t now = ktime_get();
	s64 late, over;

	if (atomic_xchg(&s->regrid, 0)) {
		s->period = ms_to_ktime(READ_ONCE(s->interval_ms));
		/*
		 * Keep the phase of the last run, not of the write: a write
		 * that laid its grid from "now" would push the next run a
		 * whole period away, and writes of changing values faster
		 * than the period would keep it from ever coming.
		 */
		s->next_due = ktime_add(s->last_due, s->period);
		if (ktime_before(s->next_due, now))
			s->next_due = now;
		atomic64_set(&s->max_late_ns, 0);
	}

	/* Early: woken for an intermediate leg of a long wait (see schedmod_delay()). */
	if (ktime_before(now, s->next_due))
		goto arm;

	late = ktime_to_ns(ktime_sub(now, s->next_due));
	if (late > atomic64_read(&s->max_late_ns))
		atomic64_set(&s->max_late_ns, late);
	/* This run serves the last grid point that has passed. */
	if (late >= s->period)
		schedmod_miss(s, div64_s64(late, s->period));
	s->last_due = s->next_due;

	schedmod_housekeeping(s);

	/*
	 * The clock again: the housekeeping takes time, and the delay to the
	 * next point counted from before it would make every run late by
	 * that much. Points it ran past are missed, not run late.
	 */
	now = ktime_get();
	s->next_due = ktime_add(s->last_due, s->period);
	over = ktime_to_ns(ktime_sub(now, s->next_due));
	if (over >= 0)
		schedmod_miss(s, div64_s64(over, s->period) + 1);
arm:
	/*
	 * Plain queue, not mod: if an interval_ms write queued us to run at
	 * once while this run was in flight, that request must win.
	 */
	queue_delayed_work(s->wq, &s->work, schedmod_delay(s->next_due, now));
}

static int schedmod_show(struct seq_file *m, void *v)
{
	struct schedmod *s = m->private;
	s64 n = atomic64_read(&s->ticks);

	seq_printf(m, "Timer called %lld times so far\n", n);
	seq_printf(m, "ticks: %lld\n", n);
	seq_printf(m, "missed: %lld\n", atomic64_read(&s->missed));
	seq_printf(m, "interval_ms: %u\n", READ_ONCE(s->interval_ms));
	seq_printf(m, "max_late_us: %llu\n",
		   div_u64(atomic64_read(&s->max_late_ns), NSEC_PER_USEC));
	return 0;
}

/* Called with kernel_param_lock(THIS_MODULE) held, at insmod and on sysfs writes. */
static int interval_set(const char *val, const struct kernel_param *kp)
{
	struct schedmod *s = container_of((unsigned int *)kp->arg,
					  struct schedmod, interval_ms);
	unsigned int v;

	/* Every bad value, unparsable or out of range, gets the same answer. */
	if (kstrtouint(val, 10, &v) || v < SCHED_INTERVAL_MIN ||
	    v > SCHED_INTERVAL_MAX) {
		pr_err("interval_ms must be an integer from %u to %u\n",
		       SCHED_INTERVAL_MIN, SCHED_INTERVAL_MAX);
		return -EINVAL;
	}

	/*
	 * The value already set changes nothing: a tool that re-applies its
	 * settings often must not keep touching the grid or max_late_us.
	 */
	if (v == s->interval_ms)
		return 0;

	WRITE_ONCE(s->interval_ms, v);
	if (s->ticking) {
		/* Release: a tick that sees regrid also sees the new value. */
		atomic_set_release(&s->regrid, 1);
		mod_delayed_work(s->wq, &s->work, 0);
	}
	return 0;
}

static const struct kernel_param_ops interval_ops = {
	.set = interval_set,
	.get = param_get_uint,
};

module_param_cb(interval_ms, &interval_ops, &schedmod.interval_ms, 0644);
MODULE_PARM_DESC(interval_ms, "Period in ms, 1..3600000 (default 100)");

static void schedmod_start(struct schedmod *s)
{
	INIT_DELAYED_WORK(&s->work, schedmod_tick);
	s->last_due = ktime_get();
	kernel_param_lock(THIS_MODULE);
	s->ticking = true;
	queue_delayed_work(s->wq, &s->work, 0);
	kernel_param_unlock(THIS_MODULE);
}

static void schedmod_stop(struct schedmod *s)
{
	/* After this no interval_ms write can queue the work ... */
	kernel_param_lock(THIS_MODULE);
	s->ticking = false;
	kernel_param_unlock(THIS_MODULE);
	/*
	 * ... and this waits for a running schedmod_tick() and defeats the
	 * re-queue it makes: after it the work neither runs nor is armed.
	 */
	cancel_delayed_work_sync(&s->work);
}

static int __init schedmod_init(void)
{
	struct schedmod *s = &schedmod;
	int ret;

	/*
	 * Freezable: the housekeeping function is where real work goes, and work
	 * that touches devices must not run while they are suspended. A run due
	 * meanwhile comes at resume and counts the periods it skipped as missed.
	 */
	s->wq = alloc_workqueue(KBUILD_MODNAME, WQ_UNBOUND | WQ_FREEZABLE, 0);
	if (!s->wq)
		return -ENOMEM;

	schedmod_start(s);

	if (!proc_create_single_data(KBUILD_MODNAME, 0444, NULL, schedmod_show,
				     s)) {
		ret = -ENOMEM;
		goto err_stop;
	}
	return 0;

err_stop:
	schedmod_stop(s);
	destroy_workqueue(s->wq);
	return ret;
}

static void __exit schedmod_exit(void)
{
	struct schedmod *s = &schedmod;

	/* Waits for readers in flight; none can start after it. */
	remove_proc_entry(KBUILD_MODNAME, NULL);
	/* Before destroy_workqueue(): a timer left armed would queue into freed memory. */
	schedmod_stop(s);
	destroy_workqueue(s->wq);
}

module_init(schedmod_init);
module_exit(schedmod_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The sched developers");
MODULE_DESCRIPTION("Drift-free periodic housekeeping, counted in /proc/sched");
MODULE_VERSION(SCHED_VERSION);
