// SPDX-License-Identifier: GPL-2.0
/*
 * sched - run a housekeeping function periodically and count how often it ran
 *
 * A self-requeuing delayed_work on a dedicated workqueue runs schedmod_tick()
 * every interval_ms milliseconds. The runs sit on a fixed grid: the k-th run
 * is due at (grid start + k * interval), and each run computes its delay from
 * that grid rather than from "now", so scheduling latency never accumulates
 * into drift. A run that comes one or more whole periods late adds the skipped
 * periods to "missed" and the grid moves on, as hrtimer_forward() does, instead
 * of firing a burst of catch-up runs.
 *
 * What the user sees:
 *   /proc/sched (0444)   line 1 is the original guide's
 *                        "Timer called N times so far", then "key: value"
 *                        lines: ticks, missed, interval_ms, max_late_us.
 *   /sys/module/sched/parameters/interval_ms (0644)
 *                        period in ms, 1..3600000; a new value takes effect
 *                        at once and restarts the grid from now, the value
 *                        already set changes nothing.
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

/* The oldest kernel it is built and tested on; dkms.conf says the same. */
#if LINUX_VERSION_MAJOR < 6 || \
	(LINUX_VERSION_MAJOR == 6 && LINUX_VERSION_PATCHLEVEL < 1)
#error "sched needs Linux 6.1 or later"
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

static unsigned int interval_ms = 100;

static struct workqueue_struct *schedmod_wq;
static void schedmod_tick(struct work_struct *work);
static DECLARE_DELAYED_WORK(schedmod_work, schedmod_tick);

/* Read by /proc/sched at any time; schedmod_tick() is the only writer. */
static atomic64_t ticks = ATOMIC64_INIT(0);
static atomic64_t missed = ATOMIC64_INIT(0);
static atomic64_t max_late_ns = ATOMIC64_INIT(0);

/*
 * Set by an interval_ms write, consumed by schedmod_tick(): start a new grid.
 * Starts set, so that the first run lays the grid from load time.
 */
static atomic_t regrid = ATOMIC_INIT(1);

/*
 * True while interval_ms writes may queue the work. Guarded by the module's
 * kernel_param_lock: sysfs parameter writes can arrive while init and exit
 * run, and must not touch the work once exit has begun to stop it.
 */
static bool ticking;

/* The grid; only schedmod_tick() touches these, and it never runs concurrently. */
static ktime_t next_due;
static ktime_t period;

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

/* The periodic housekeeping itself: here, counting that it ran. */
static void schedmod_housekeeping(void)
{
	atomic64_inc(&ticks);
}

static void schedmod_tick(struct work_struct *work)
{
	ktime_t now = ktime_get();
	s64 late;

	if (atomic_xchg(&regrid, 0)) {
		period = ms_to_ktime(READ_ONCE(interval_ms));
		next_due = ktime_add(now, period);
		atomic64_set(&max_late_ns, 0);
		goto arm;
	}

	/* Woken for an intermediate leg of a long wait (see schedmod_delay()). */
	if (ktime_before(now, next_due))
		goto arm;

	late = ktime_to_ns(ktime_sub(now, next_due));
	if (late > atomic64_read(&max_late_ns))
		atomic64_set(&max_late_ns, late);
	if (late >= period) {
		s64 skipped = div64_s64(late, period);

		atomic64_add(skipped, &missed);
		next_due = ktime_add_ns(next_due, skipped * period);
	}

	schedmod_housekeeping();
	next_due = ktime_add(next_due, period);
arm:
	/*
	 * Plain queue, not mod: if an interval_ms write queued us to run at
	 * once while this run was in flight, that request must win.
	 */
	queue_delayed_work(schedmod_wq, &schedmod_work,
			   schedmod_delay(next_due, now));
}

static int schedmod_show(struct seq_file *m, void *v)
{
	s64 n = atomic64_read(&ticks);

	seq_printf(m, "Timer called %lld times so far\n", n);
	seq_printf(m, "ticks: %lld\n", n);
	seq_printf(m, "missed: %lld\n", atomic64_read(&missed));
	seq_printf(m, "interval_ms: %u\n", READ_ONCE(interval_ms));
	seq_printf(m, "max_late_us: %llu\n",
		   div_u64(atomic64_read(&max_late_ns), NSEC_PER_USEC));
	return 0;
}

/* Called with kernel_param_lock(THIS_MODULE) held, at insmod and on sysfs writes. */
static int interval_set(const char *val, const struct kernel_param *kp)
{
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
	 * settings often must not keep restarting the grid.
	 */
	if (v == *(unsigned int *)kp->arg)
		return 0;

	WRITE_ONCE(*(unsigned int *)kp->arg, v);
	if (ticking) {
		/* Release: a tick that sees regrid also sees the new value. */
		atomic_set_release(&regrid, 1);
		mod_delayed_work(schedmod_wq, &schedmod_work, 0);
	}
	return 0;
}

static const struct kernel_param_ops interval_ops = {
	.set = interval_set,
	.get = param_get_uint,
};

module_param_cb(interval_ms, &interval_ops, &interval_ms, 0644);
MODULE_PARM_DESC(interval_ms, "Period in ms, 1..3600000 (default 100)");

static void schedmod_start(void)
{
	kernel_param_lock(THIS_MODULE);
	ticking = true;
	queue_delayed_work(schedmod_wq, &schedmod_work, 0);
	kernel_param_unlock(THIS_MODULE);
}

static void schedmod_stop(void)
{
	/* After this no interval_ms write can queue the work ... */
	kernel_param_lock(THIS_MODULE);
	ticking = false;
	kernel_param_unlock(THIS_MODULE);
	/*
	 * ... and this waits for a running schedmod_tick() and defeats the
	 * re-queue it makes: after it the work neither runs nor is armed.
	 */
	cancel_delayed_work_sync(&schedmod_work);
}

static int __init schedmod_init(void)
{
	int ret;

	/*
	 * Freezable: the housekeeping function is where real work goes, and work
	 * that touches devices must not run while they are suspended. A run due
	 * meanwhile comes at resume and counts the periods it skipped as missed.
	 */
	schedmod_wq =
		alloc_workqueue(KBUILD_MODNAME, WQ_UNBOUND | WQ_FREEZABLE, 0);
	if (!schedmod_wq)
		return -ENOMEM;

	schedmod_start();

	if (!proc_create_single(KBUILD_MODNAME, 0444, NULL, schedmod_show)) {
		ret = -ENOMEM;
		goto err_stop;
	}
	return 0;

err_stop:
	schedmod_stop();
	destroy_workqueue(schedmod_wq);
	return ret;
}

static void __exit schedmod_exit(void)
{
	/* Waits for readers in flight; none can start after it. */
	remove_proc_entry(KBUILD_MODNAME, NULL);
	/* Before destroy_workqueue(): a timer left armed would queue into freed memory. */
	schedmod_stop();
	destroy_workqueue(schedmod_wq);
}

module_init(schedmod_init);
module_exit(schedmod_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The sched developers");
MODULE_DESCRIPTION("Drift-free periodic housekeeping, counted in /proc/sched");
MODULE_VERSION(SCHED_VERSION);
