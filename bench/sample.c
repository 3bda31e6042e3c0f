// SPDX-License-Identifier: GPL-2.0
/*
 * sample TAG SECONDS FILE... - sample /proc/sched-style files once a second
 *
 * At t = 0, 1, ..., SECONDS s (absolute sleeps: no drift) prints for each FILE
 * "TAG file=FILE t_ns=T ticks=N missed=N max_late_us=N synced=S" (T:
 * CLOCK_MONOTONIC, N: -1 if no such line). With SECONDS > 0 the first and
 * last samples come just after a run (synced=1), so they lack no run that is
 * due. Static: start-up under TCG is slow.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const keys[] = { "ticks", "missed", "max_late_us", NULL };

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The value of the "KEY: value" line of @text (not its first line), or -1. */
static long long value_of(const char *text, const char *key)
{
	char line[32];
	const char *p;

	snprintf(line, sizeof(line), "\n%s:", key);
	p = strstr(text, line);
	return p ? atoll(p + strlen(line)) : -1;
}

/* Reads @path into @buf (one read: a seq_file gives its whole page); its ticks. */
static long long read_ticks(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		perror(path);
		exit(1);
	}
	n = read(fd, buf, size - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return value_of(buf, "ticks");
}

/*
 * One sample of @path into @buf, taken at *@t; with @synced, just after a run:
 * polled every 100 us for up to 5 s, between the last read without it and the
 * first with it, unless over 1 ms apart (the sampler was not scheduled; then
 * the next run). Returns 1 if synced, 0 if not.
 */
static int take(const char *path, char *buf, size_t size, int synced,
		long long *t)
{
	const struct timespec poll = { 0, 100000 };
	long long start = now_ns(), before = start, after, prev, n;
	long long first = read_ticks(path, buf, size);

	*t = start;
	while (synced && before - start < 5000000000LL) {
		prev = before;
		nanosleep(&poll, NULL);
		before = now_ns();
		n = read_ticks(path, buf, size);
		after = now_ns();
		if (n != first && after - prev <= 1000000) {
			*t = prev + (after - prev) / 2;
			return 1;
		}
		first = n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct timespec next;
	char buf[4096];
	long long t;
	int secs, s, f, k, ok;

	if (argc < 4) {
		fprintf(stderr, "usage: %s TAG SECONDS FILE...\n", argv[0]);
		return 2;
	}
	secs = atoi(argv[2]);
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (s = 0; s <= secs; s++) {
		for (f = 3; f < argc; f++) {
			ok = take(argv[f], buf, sizeof(buf),
				  secs > 0 && (s == 0 || s == secs), &t);
			printf("%s file=%s t_ns=%lld", argv[1], argv[f], t);
			for (k = 0; keys[k]; k++)
				printf(" %s=%lld", keys[k],
				       value_of(buf, keys[k]));
			printf(" synced=%d\n", ok);
		}
		fflush(stdout);
		next.tv_sec++;
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
	}
	return 0;
}
