// SPDX-License-Identifier: GPL-2.0
/*
 * sched_naive - the design sched.c replaces, kept only to be measured against
 *
 * sched.c's workqueue and /proc keys, but each run re-queues itself with
 * "delay = interval", as the Linux Kernel Module Programming Guide did: each
 * run's latency and the timer's rounding add up into drift ("max_late_us",
 * against first run + k * interval). "max_wait_late_us": the largest overshoot
 * of one wait (previous run + interval). A safe unload, unlike the guide's.
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
#include <linux/workqueue.h>

static unsigned int interval_ms = 100;
module_param(interval_ms, uint, 0444);
MODULE_PARM_DESC(interval_ms, "Period in ms, 1..3600000 (default 100)");

static struct workqueue_struct *naive_wq;
static void naive_tick(struct work_struct *work);
static DECLARE_DELAYED_WORK(naive_work, naive_tick);

/* Read by /proc at any time; naive_tick() is the only writer. */
static atomic64_t ticks = ATOMIC64_INIT(0);
static atomic64_t max_late_ns = ATOMIC64_INIT(0);
static atomic64_t max_wait_late_ns = ATOMIC64_INIT(0);

/* Only naive_tick() touches these, and it never runs concurrently. */
static ktime_t first_run, last_run;

static void naive_track_max(atomic64_t *max, s64 ns)
{
	if (ns > atomic64_read(max))
		atomic64_set(max, ns);
}

static void naive_tick(struct work_struct *work)
{
	ktime_t now = ktime_get();
	s64 n = atomic64_read(&ticks);
	s64 period = ms_to_ktime(interval_ms);

	if (n == 0) {
		first_run = now;
	} else {
		/* Due on the grid it was meant to keep, and after its wait. */
		ktime_t grid_due = ktime_add_ns(first_run, n * period);
		ktime_t wait_due = ktime_add(last_run, period);

		naive_track_max(&max_late_ns, ktime_sub(now, grid_due));
		naive_track_max(&max_wait_late_ns, ktime_sub(now, wait_due));
	}
	last_run = now;
	atomic64_inc(&ticks);

	/* The original design: wait one interval from now, whenever now is. */
	queue_delayed_work(naive_wq, &naive_work,
			   msecs_to_jiffies(interval_ms));
}

static int naive_show(struct seq_file *m, void *v)
{
	s64 n = atomic64_read(&ticks);

	seq_printf(m, "Timer called %lld times so far\n", n);
	seq_printf(m, "ticks: %lld\n", n);
	seq_puts(m, "missed: 0\n");
	seq_printf(m, "interval_ms: %u\n", interval_ms);
	seq_printf(m, "max_late_us: %llu\n",
		   div_u64(atomic64_read(&max_late_ns), NSEC_PER_USEC));
	seq_printf(m, "max_wait_late_us: %llu\n",
		   div_u64(atomic64_read(&max_wait_late_ns), NSEC_PER_USEC));
	return 0;
}

static int __init naive_init(void)
{
	if (interval_ms < 1 || interval_ms > 3600000) {
		pr_err("interval_ms must be an integer from 1 to 3600000\n");
		return -EINVAL;
	}

	naive_wq = alloc_workqueue(KBUILD_MODNAME, WQ_UNBOUND, 0);
	if (!naive_wq)
		return -ENOMEM;

	queue_delayed_work(naive_wq, &naive_work, 0);

	if (!proc_create_single(KBUILD_MODNAME, 0444, NULL, naive_show)) {
		cancel_delayed_work_sync(&naive_work);
		destroy_workqueue(naive_wq);
		return -ENOMEM;
	}
	return 0;
}

static void __exit naive_exit(void)
{
	remove_proc_entry(KBUILD_MODNAME, NULL);
	/* Safe for a self-requeuing work: its re-queue is defeated. */
	cancel_delayed_work_sync(&naive_work);
	destroy_workqueue(naive_wq);
}

module_init(naive_init);
module_exit(naive_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Benchmark reference: re-queue with a fixed delay (drifts)");
