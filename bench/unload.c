// SPDX-License-Identifier: GPL-2.0
/*
 * unload NAME          time the delete_module(NAME) system call itself
 * unload -x CMD [ARG]  time CMD from fork to exit (e.g. rmmod NAME)
 *
 * Prints "ns=N" (CLOCK_MONOTONIC). Exits non-zero if the call or CMD failed.
 * Static, so that the time measured is the unload and not, under emulation,
 * the dynamic loader.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* What rmmod does: O_NONBLOCK fails at once if the module is in use. */
static int timed_delete(const char *name)
{
	long long t0 = now_ns();
	long rc = syscall(SYS_delete_module, name, O_NONBLOCK);
	long long t1 = now_ns();

	if (rc) {
		perror("delete_module");
		return 1;
	}
	printf("ns=%lld\n", t1 - t0);
	return 0;
}

static int timed_command(char **argv)
{
	long long t0 = now_ns();
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		perror(argv[0]);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0) {
		perror("waitpid");
		return 1;
	}
	printf("ns=%lld\n", now_ns() - t0);
	return !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

int main(int argc, char **argv)
{
	if (argc == 2 && argv[1][0] != '-')
		return timed_delete(argv[1]);
	if (argc >= 3 && argv[1][0] == '-' && argv[1][1] == 'x')
		return timed_command(argv + 2);
	fprintf(stderr, "usage: %s NAME | -x CMD [ARG...]\n", argv[0]);
	return 2;
}
