# SPDX-License-Identifier: GPL-2.0
#
# User-facing targets of the sched module; kbuild reads Kbuild. `make help`
# lists them.

KDIR ?= /lib/modules/$(shell uname -r)/build
# Kernel lanes of `make matrix` (see scripts/fetch-kernel.sh).
KERNELS ?= 6.1 6.12 6.12-rt
# Lanes of `make check`.
CHECK_KERNELS ?= 6.1 6.12 6.12-rt

.PHONY: all modules clean install uninstall check demo matrix help

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	rm -rf *.o *.ko *.mod *.mod.c .*.cmd Module.symvers modules.order out

# The release sched.ko was built for, from its vermagic: depmod must run for
# that kernel, which need not be the running one.
KREL = $(shell modinfo -F vermagic sched.ko | cut -d' ' -f1)

install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	depmod $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) $(KREL)

check:
	scripts/install-deps.sh
	scripts/matrix.sh $(CHECK_KERNELS)

matrix:
	scripts/install-deps.sh
	scripts/matrix.sh $(KERNELS)

demo:
	scripts/install-deps.sh
	scripts/demo.sh

help:
	@echo 'Targets:'
	@echo '  make [KDIR=DIR]    build sched.ko against the headers in DIR'
	@echo '                     (default: /lib/modules/$$(uname -r)/build)'
	@echo '  make install       install it (kbuild modules_install + depmod;'
	@echo '                     INSTALL_MOD_PATH=DIR stages it under DIR)'
	@echo '  make clean         remove build products and out/'
	@echo '  make demo          load it in a throwaway VM and show /proc/sched'
	@echo '  make check         W=1 build + full test suite in a VM on each kernel'
	@echo '                     of CHECK_KERNELS ($(CHECK_KERNELS))'
	@echo '  make matrix        the same on KERNELS ($(KERNELS)), with a summary table'
