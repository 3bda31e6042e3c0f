# SPDX-License-Identifier: GPL-2.0
#
# User-facing targets of the sched module; kbuild reads Kbuild. `make help`
# lists them.

KDIR ?= /lib/modules/$(shell uname -r)/build
# Lanes of tests/lanes: `make matrix` and `make check` (empty: every lane
# of tests/lanes, so that a lane added there is tested everywhere),
# `make check-quick`, `make bench`.
KERNELS ?=
CHECK_KERNELS ?=
QUICK_KERNELS ?= bookworm trixie
KERNEL ?= bookworm
# Debian release of `make check-host`.
HOST ?= trixie

# Debian packages `make lint` and `make lifecycle` need beyond
# scripts/ci/install-deps.sh's own.
LINT_DEPS = sparse shellcheck clang-format linux-source-6.12
LIFECYCLE_DEPS = mmdebstrap

.PHONY: all modules clean install uninstall sign lint check check-quick check-debug \
	check-host demo shell matrix bench help

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	rm -rf *.o *.ko *.mod *.mod.c .*.cmd Module.symvers modules.order out

# The release sched.ko was built for, from its vermagic: install and depmod
# must use that kernel's, which need not be the running one, and Debian's 6.1
# headers report a wrong one (`make kernelrelease` says 6.1.NNN; their
# modules_install gets it right only through an override in .kernelvariables).
# `make uninstall KREL=RELEASE` works without a sched.ko.
KREL = $(shell modinfo -F vermagic sched.ko 2>/dev/null | cut -d' ' -f1)

# Staging for packagers: INSTALL_MOD_PATH=DIR (kbuild's name) or DESTDIR=DIR
# installs under DIR/lib/modules and runs depmod there. Absolute, because
# kbuild runs from KDIR.
INSTALL_MOD_PATH ?= $(DESTDIR)
STAGE = $(abspath $(INSTALL_MOD_PATH))
# updates/ wins over a module of the same name shipped with the kernel in
# depmod's default search order.
INSTALL_MOD_DIR ?= updates
DEPMOD = depmod $(if $(STAGE),-b $(STAGE)) $(KREL)

install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) KERNELRELEASE=$(KREL) \
		INSTALL_MOD_PATH=$(STAGE) INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) modules_install
	$(DEPMOD)

# sched.ko*: kernels built with CONFIG_MODULE_COMPRESS_* (Debian 13's)
# install it compressed, as sched.ko.xz.
uninstall:
	$(if $(KREL),,$(error no sched.ko to read the kernel release from: run make first, or make uninstall KREL=RELEASE))
	rm -f $(STAGE)/lib/modules/$(KREL)/$(INSTALL_MOD_DIR)/sched.ko*
	$(DEPMOD)

# Secure Boot: sign sched.ko with a key of your own, enrolled with mokutil
# (README). The module is relinked first so that it never carries two
# signatures. SIGN_KEY may also be a pkcs11: URI.
SIGN_HASH ?= sha256
SIGN_FILE = $(KDIR)/scripts/sign-file

sign:
	$(if $(and $(SIGN_KEY),$(SIGN_CERT)),,$(error make sign needs SIGN_KEY=PRIVATE-KEY SIGN_CERT=CERTIFICATE (see README)))
	$(if $(filter pkcs11:%,$(SIGN_KEY))$(wildcard $(SIGN_KEY)),,$(error SIGN_KEY: no such file: $(SIGN_KEY)))
	$(if $(wildcard $(SIGN_CERT)),,$(error SIGN_CERT: no such file: $(SIGN_CERT)))
	$(if $(wildcard $(SIGN_FILE)),,$(error no $(SIGN_FILE): install the kernel headers, or set KDIR))
	rm -f sched.ko
	$(MAKE) modules
	$(SIGN_FILE) $(SIGN_HASH) $(SIGN_KEY) $(SIGN_CERT) sched.ko

lint:
	scripts/ci/install-deps.sh $(LINT_DEPS)
	scripts/ci/lint.sh

# The debug lanes of scripts/debug/lane.sh run by `make check-debug`, and
# those of them `make check` runs: the KCSAN lane catches a plain counter
# only with settings under which the kernel reports races of its own
# (docs/testing.md), so it is not worth CI's minutes yet.
DEBUG_LANES ?= kasan kcsan
CHECK_DEBUG_LANES ?= kasan
# The lanes' kernels and compilers (side by side with the rest), the debug
# kernels and the lifecycle's testbed images are made from the start of
# `make check`, at idle priority, on what the steps leave of the CPU; a
# step whose kernel, chroot or image is still being made waits for it (the
# locks of scripts/kernels/, scripts/debug/kernel.sh, scripts/pkg/testbed.sh).
# So do the package's checks in chroots (DEB_CHECKS), which boot nothing:
# beside the testbeds, whose emulation fills both CPUs, they slowed them.
PREBUILD = scripts/ci/matrix.sh --prepare $(CHECK_KERNELS) >/dev/null & \
	for l in $(CHECK_DEBUG_LANES); do scripts/debug/kernel.sh $$l; done; \
	for s in $(SUITES); do scripts/pkg/testbed.sh $$s; done

check:
	scripts/ci/install-deps.sh $(LINT_DEPS) $(LIFECYCLE_DEPS)
	mkdir -p out && { nice -n 19 sh -c '$(PREBUILD)' >out/prebuild.log 2>&1 & } && \
	scripts/ci/check.sh -o out/check.txt "&nice -n 19 $(DEB_CHECKS)" scripts/ci/lint.sh \
		tests/host/harness_test.sh tests/host/demo_test.sh tests/host/shell_test.sh \
		"scripts/ci/matrix.sh $(CHECK_KERNELS)" tests/host/mutation_test.sh \
		tests/host/install_test.sh '$(TESTBEDS)' \
		$(foreach l,$(CHECK_DEBUG_LANES),"scripts/debug/lane.sh $(l)")

check-quick:
	scripts/ci/install-deps.sh $(LINT_DEPS)
	scripts/ci/check.sh -o out/check-quick.txt scripts/ci/lint.sh tests/host/harness_test.sh \
		tests/host/demo_test.sh tests/host/shell_test.sh "scripts/ci/matrix.sh $(QUICK_KERNELS)"

check-debug:
	scripts/ci/install-deps.sh
	scripts/ci/check.sh $(foreach l,$(DEBUG_LANES),"scripts/debug/lane.sh $(l)")

check-host:
	scripts/ci/check-host.sh $(HOST)

matrix:
	scripts/ci/install-deps.sh
	scripts/ci/matrix.sh $(KERNELS)

demo:
	@scripts/ci/install-deps.sh
	@scripts/demo.sh $(LANE)

shell:
	@scripts/ci/install-deps.sh
	@scripts/shell.sh $(LANE)

bench:
	scripts/ci/install-deps.sh gnuplot-nox libc6-dev
	bench/run.sh $(KERNEL)

# The Debian package for SUITE (scripts/pkg/deb.sh), and its DEP-8 tests
# (debian/tests) run by Debian's autopkgtest in a QEMU testbed of each of
# SUITES (tests/host/lifecycle_test.sh; autopkgtest, QEMU and the image builder
# in the trixie chroot of scripts/kernels/chroot.sh), beside its install and
# purge in Debian 11 and what Salsa CI's default jobs check beyond lintian,
# which make deb runs: piuparts and reprotest (make deb-checks). Side by side
# ("&STEP" of scripts/ci/check.sh): each testbed emulates one CPU.
SUITE ?= bookworm
SUITES ?= bookworm trixie
DEB_CHECKS = tests/host/deb_checks_test.sh
TESTBEDS = scripts/ci/check.sh $(foreach s,$(SUITES),"&tests/host/lifecycle_test.sh $(s)")
.PHONY: deb lifecycle deb-checks
deb:
	scripts/pkg/deb.sh $(SUITE)
deb-checks:
	scripts/ci/install-deps.sh $(LIFECYCLE_DEPS)
	scripts/ci/check.sh $(DEB_CHECKS)
lifecycle:
	scripts/ci/install-deps.sh $(LIFECYCLE_DEPS)
	$(TESTBEDS) "&$(DEB_CHECKS)"

help:
	@echo 'Targets:'
	@echo '  make [KDIR=DIR]    build sched.ko against the headers in DIR'
	@echo '                     (default: /lib/modules/$$(uname -r)/build)'
	@echo '  make install       install it in /lib/modules/RELEASE/updates and run'
	@echo '                     depmod (INSTALL_MOD_PATH=DIR or DESTDIR=DIR: under DIR)'
	@echo '  make uninstall     remove it again and run depmod (same variables;'
	@echo '                     KREL=RELEASE when sched.ko is gone)'
	@echo '  make sign SIGN_KEY=KEY SIGN_CERT=CERT'
	@echo '                     sign sched.ko for Secure Boot with KDIR'"'"'s sign-file'
	@echo '  make clean         remove build products and out/'
	@echo '  make lint          checkpatch --strict, sparse, clang-format, shellcheck'
	@echo '  make demo          load it in a throwaway VM and show /proc/sched'
	@echo '  make shell [LANE=arm64]'
	@echo '                     a busybox shell in a VM of the lane, sched.ko as'
	@echo '                     /sched.ko; commands from stdin when not a terminal'
	@echo '  make deb [SUITE=trixie]'
	@echo '                     build sched-dkms_*.deb in a clean chroot of SUITE'
	@echo '                     ($(SUITE)) and run lintian --pedantic; into out/deb/SUITE/'
	@echo '  make deb-checks    install/purge in Debian 11, piuparts (Debian 12, 13,'
	@echo '                     upgrade) and reprotest of it'
	@echo '  make lifecycle     the package'"'"'s DEP-8 tests (debian/tests: install,'
	@echo '                     reboot, kernel upgrade, purge) run by autopkgtest in'
	@echo '                     a QEMU testbed of each of SUITES ($(SUITES)),'
	@echo '                     and make deb-checks'
	@echo '  make check         lint, then W=1 build + full test suite in a VM on'
	@echo '                     each lane of CHECK_KERNELS (default: tests/lanes),'
	@echo '                     then the mutation test, the packaging tests'
	@echo '                     (tests/host/install_test.sh: sign, make install;'
	@echo '                     make lifecycle) and the KASAN lane'
	@echo '  make check-quick   lint and the lanes $(QUICK_KERNELS): the edit-test loop'
	@echo '  make check-debug   the module under debug kernels (DEBUG_LANES:'
	@echo '                     $(DEBUG_LANES)): KASAN, KCSAN, lockdep, kmemleak,'
	@echo '                     debugobjects, stress, CPU hotplug, fault injection'
	@echo '  make matrix        the suite on KERNELS (default: every lane of'
	@echo '                     tests/lanes), with a summary table'
	@echo '  make check-host    make demo and CI in a fresh Debian HOST system'
	@echo '                     ($(HOST); or bookworm), cold: as long as CI'
	@echo '  make bench         measure drift and lateness'
	@echo '                     against the naive design in a VM on lane KERNEL'
	@echo '                     ($(KERNEL)); writes bench/RESULTS.md (about 5 min)'
	@echo 'The harness'"'"'s SCHED_* settings: the table in docs/testing.md.'
