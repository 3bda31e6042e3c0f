// SPDX-License-Identifier: GPL-2.0
/*
 * sched_empty - the cheapest periodic delayed_work there is, as a yardstick
 *
 * empty_tick() does nothing but re-queue itself, which any periodic
 * delayed_work must do. The benchmark times its runs from the workqueue
 * tracepoints exactly as it times sched's, so the difference between the two
 * is what sched's own bookkeeping costs per tick.
 *
 * With clock_reads=2 it also reads the clock twice first, as
 * schedmod_tick() does (once for the lateness, once for the next delay): that
 * shows how much of the difference is the clock reads, whose cost depends on
 * the clock source far more than on the code.
 */
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/workqueue.h>

static unsigned int interval_ms = 10;
module_param(interval_ms, uint, 0444);
MODULE_PARM_DESC(interval_ms, "Period in ms (default 10)");

static unsigned int clock_reads;
module_param(clock_reads, uint, 0444);
MODULE_PARM_DESC(clock_reads, "ktime_get() calls per run (default 0)");

static struct workqueue_struct *empty_wq;
static void empty_tick(struct work_struct *work);
static DECLARE_DELAYED_WORK(empty_work, empty_tick);

/* Only so that the compiler cannot drop the clock reads. */
static ktime_t empty_sink;

static void empty_tick(struct work_struct *work)
{
	unsigned int i;

	for (i = 0; i < clock_reads; i++)
		WRITE_ONCE(empty_sink, ktime_get());
	queue_delayed_work(empty_wq, &empty_work,
			   msecs_to_jiffies(interval_ms));
}

static int __init empty_init(void)
{
	/* Same kind of workqueue as sched's, so both run on the same workers. */
	empty_wq = alloc_workqueue(KBUILD_MODNAME, WQ_UNBOUND, 0);
	if (!empty_wq)
		return -ENOMEM;
	queue_delayed_work(empty_wq, &empty_work, 0);
	return 0;
}

static void __exit empty_exit(void)
{
	cancel_delayed_work_sync(&empty_work);
	destroy_workqueue(empty_wq);
}

module_init(empty_init);
module_exit(empty_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Benchmark yardstick: an empty periodic delayed_work");
