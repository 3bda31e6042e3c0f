// SPDX-License-Identifier: GPL-2.0
/*
 * failnth N MODULE.ko [PARAMS]: load MODULE with the N-th fault point of this
 * task failing. fail-nth is per task and not inherited, so the write, the
 * finit_module() and the read-back happen here with nothing in between. Prints
 * "loaded" or "failed: ERROR", then "hit" if the N-th fault point was reached,
 * "missed" if the load ended before it. Exits 2 if the tool itself failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int fail_nth(int fd, const char *val)
{
	size_t len = strlen(val);

	return pwrite(fd, val, len, 0) == (ssize_t)len ? 0 : -1;
}

int main(int argc, char **argv)
{
	char left[32];
	int mod, nth, ret, err;
	ssize_t len;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: %s N MODULE.ko [PARAMS]\n", argv[0]);
		return 2;
	}
	mod = open(argv[2], O_RDONLY | O_CLOEXEC);
	nth = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (mod < 0 || nth < 0 || fail_nth(nth, argv[1])) {
		perror("failnth");
		return 2;
	}
	ret = syscall(SYS_finit_module, mod, argc == 4 ? argv[3] : "", 0);
	err = errno;
	/* 0 once the fault was injected, else the count still to go. */
	len = pread(nth, left, sizeof(left) - 1, 0);
	/* Disarm before anything else here can meet the fault. */
	if (len <= 0 || fail_nth(nth, "0")) {
		perror("failnth");
		return 2;
	}
	left[len] = '\0';
	printf("%s%s %s\n", ret ? "failed: " : "loaded",
	       ret ? strerror(err) : "", atoi(left) == 0 ? "hit" : "missed");
	return 0;
}
