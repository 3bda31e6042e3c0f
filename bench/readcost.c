// SPDX-License-Identifier: GPL-2.0
/*
 * readcost N ROUNDS FILE... - ns per open + read to EOF + close of each FILE
 *
 * Each round times N reads of every FILE, one batch per file, in an order
 * that rotates from round to round, so that a slow moment of the machine
 * does not always fall on the same file. Prints one line per round and file:
 *
 *   round=R file=FILE ns_per_op=X
 *
 * The caller takes the median over rounds. Static: no loader in the way.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* One read as cat does it: open, read until EOF, close. */
static int read_once(const char *path)
{
	char buf[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	do
		n = read(fd, buf, sizeof(buf));
	while (n > 0);
	close(fd);
	return n < 0 ? -1 : 0;
}

static int batch(int round, const char *path, long n)
{
	long long t0 = now_ns();
	long i;

	for (i = 0; i < n; i++) {
		if (read_once(path)) {
			perror(path);
			return -1;
		}
	}
	printf("round=%d file=%s ns_per_op=%lld\n", round, path,
	       (now_ns() - t0) / n);
	return 0;
}

int main(int argc, char **argv)
{
	long n;
	int rounds, nfiles, r, f;

	if (argc < 4) {
		fprintf(stderr, "usage: %s N ROUNDS FILE...\n", argv[0]);
		return 2;
	}
	n = atol(argv[1]);
	rounds = atoi(argv[2]);
	nfiles = argc - 3;
	if (n < 1 || rounds < 1) {
		fprintf(stderr, "%s: N and ROUNDS must be positive\n", argv[0]);
		return 2;
	}
	/* Warm up the dentries and the page of each file once, untimed. */
	for (f = 0; f < nfiles; f++)
		if (read_once(argv[3 + f])) {
			perror(argv[3 + f]);
			return 1;
		}
	for (r = 0; r < rounds; r++)
		for (f = 0; f < nfiles; f++)
			if (batch(r, argv[3 + (r + f) % nfiles], n))
				return 1;
	return 0;
}
