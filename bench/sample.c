// SPDX-License-Identifier: GPL-2.0
/*
 * sample TAG SECONDS FILE... - sample /proc/sched-style files once a second
 *
 * At t = 0, 1, ..., SECONDS seconds (CLOCK_MONOTONIC, absolute sleeps, so the
 * sampler does not drift either) prints, for each FILE, one line:
 *
 *   TAG file=FILE t_ns=T ticks=N missed=N max_late_us=N max_wait_late_us=N
 *
 * T is read just before FILE, so each count comes with its own time. A key
 * the file does not have is printed as -1.
 *
 * With SECONDS > 0, the first and the last sample of each FILE are taken
 * just after a run: FILE is polled until its ticks change, and T is the
 * middle of the window in which they changed (the line ends "synced=1
 * bracket_ns=WIDTH"). A count read at an arbitrary moment may lack a run
 * that is due but not yet done; one read just after a run lacks nothing, so
 * the difference of two such samples against the periods in between is the
 * module's own error, not the sampler's. (Each of the two runs is late
 * against its grid point by less than one period, so a module that counts
 * right is within one period of the clock each way, plus the brackets.)
 *
 * Static, so that process start-up under emulation costs nothing.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const keys[] = { "ticks", "missed", "max_late_us",
				    "max_wait_late_us" };
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Reads all of @path into @buf (NUL-terminated); returns 0 or -1. */
static int slurp(const char *path, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	while (len < size - 1 && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	return 0;
}

/* The value of the "KEY: value" line of @text, or -1. */
static long long value_of(const char *text, const char *key)
{
	size_t klen = strlen(key);
	const char *line = text;

	while (line && *line) {
		if (!strncmp(line, key, klen) && line[klen] == ':')
			return atoll(line + klen + 1);
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return -1;
}

/*
 * Polls every 100 us for at most 5 s (long enough for a 1 s interval). A run
 * is placed between the start of the last read that did not see it and the
 * end of the first that did; a bracket wider than 1 ms (the sampler was not
 * scheduled for a while) is not used: the poll goes on to the next run.
 */
#define POLL_NS 100000L
#define POLL_FOR_NS 5000000000LL
#define BRACKET_MAX_NS 1000000LL

/* read_ticks: one read of @path into @buf; its ticks, or -2 on error. */
static long long read_ticks(const char *path, char *buf, size_t size)
{
	if (slurp(path, buf, size)) {
		perror(path);
		return -2;
	}
	return value_of(buf, "ticks");
}

/*
 * One sample of @path. @synced: taken just after a run, with *@bracket the
 * width of the time window the run is known to lie in; *@t is the middle.
 * Returns 1 if synced as asked, 0 if not, -1 on error.
 */
static int take(const char *path, char *buf, size_t size, int synced,
		long long *t, long long *bracket)
{
	const struct timespec poll = { 0, POLL_NS };
	long long start = now_ns(), before = start, after, first, n;

	first = read_ticks(path, buf, size);
	*t = start;
	*bracket = 0;
	if (first == -2)
		return -1;
	while (synced && before - start < POLL_FOR_NS) {
		long long prev = before;

		nanosleep(&poll, NULL);
		before = now_ns();
		n = read_ticks(path, buf, size);
		after = now_ns();
		if (n == -2)
			return -1;
		if (n == first)
			continue;
		if (after - prev <= BRACKET_MAX_NS) {
			*t = prev + (after - prev) / 2;
			*bracket = after - prev;
			return 1;
		}
		first = n;
	}
	return !synced;
}

static int sample(const char *tag, const char *path, int synced)
{
	char buf[4096];
	long long t, bracket;
	size_t i;
	int ok = take(path, buf, sizeof(buf), synced, &t, &bracket);

	if (ok < 0)
		return -1;
	printf("%s file=%s t_ns=%lld", tag, path, t);
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		printf(" %s=%lld", keys[i], value_of(buf, keys[i]));
	printf(" synced=%d bracket_ns=%lld\n", synced && ok, bracket);
	return 0;
}

int main(int argc, char **argv)
{
	struct timespec next;
	int secs, s, f;

	if (argc < 4) {
		fprintf(stderr, "usage: %s TAG SECONDS FILE...\n", argv[0]);
		return 2;
	}
	secs = atoi(argv[2]);
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (s = 0; s <= secs; s++) {
		for (f = 3; f < argc; f++)
			if (sample(argv[1], argv[f],
				   secs > 0 && (s == 0 || s == secs)))
				return 1;
		fflush(stdout);
		next.tv_sec++;
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
	}
	return 0;
}
