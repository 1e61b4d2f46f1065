# SPDX-License-Identifier: GPL-2.0
#
# pcbkit top-level Makefile.
#
# On a host that cannot build against the dev kernel (no headers, no
# sched_ext), every target re-runs itself inside the dev root made by
# tools/vm, and the targets that need a running kernel boot it. Inside the
# dev root, or natively with KDIR=..., this file builds directly.
#
#   make            module, BPF policies and tools
#   make check      selftests in one VM boot (T=pattern for a subset;
#                   KERNEL=stable: on trixie's stock kernel, no sched_ext)
#   make check-full the same at the issues' full scales (hours under TCG)
#   make check-debug the suite in a debug kernel (lockdep, KASAN, kmemleak,
#                   DEBUG_OBJECTS...; DEBUG=kcsan: KCSAN on the module tests)
#   make demo       what pcbkit shows, from nothing
#   make bench      pcbbench in one VM boot
#   make peers      the kernel's example sched_ext schedulers, for bench
#   make lint       checkpatch --strict, sparse, clang-format, kfunc-compat
#   make install    tools, libpcbmq, man pages, unit (DESTDIR, PREFIX)
#   make deb        pcbkit and pcbkit-dkms .debs in build/deb/
#   make dkms-install  pcbstat.ko through DKMS, for every kernel
#   make check-packaging  build, install, boot and purge the .debs
#   make clean

VM := $(CURDIR)/tools/vm
T ?=
export T
# The kernel to build against and boot: dev, stable, or a kernel tools/vm
# builds from tools/kernels/NAME.config (see Documentation/dev-environment.rst).
KERNEL ?= dev
export KERNEL

# The one version of the release, the packages' and the module's alike.
VERSION := $(shell sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)

# Inside the dev root tools/vm leaves the kernel release in /.pcbkit-kver.
ifeq ($(origin KDIR),undefined)
ifneq ($(wildcard /.pcbkit-kver),)
KVER := $(shell cat /.pcbkit-kver)
KDIR := /lib/modules/$(KVER)/build
else
DELEGATE := 1
endif
endif

# make check runs reduced scales so that CI fits in ~30 min under QEMU TCG;
# these are the counts the issues ask for. tools/vm passes them to the guest.
FULL_SCALE := PCBSTAT_CYCLES=200 PCBSTAT_CHURN_THREADS=20000 \
	PCBMQ_STRESS_MSGS=1000000 \
	PCBSCHED_CYCLES=100 PCBSCHED_STRESS_SECS=31 PCBSCHED_STRESS_WINDOW=45 \
	SELFTEST_TIMEOUT_SCALE=12 \
	SELFTEST_FUZZ_CALLS=1000000 SELFTEST_UNLOAD_CYCLES=200

# make check-debug: the whole suite in the debug kernel, or with DEBUG=kcsan
# the module's tests in the KCSAN kernel. Both run several times slower
# than the dev kernel, so every timeout is scaled.
DEBUG ?= kasan
comma := ,
DEBUG_KERNEL := $(if $(filter kcsan,$(DEBUG)),kcsan,debug)
DEBUG_T := $(or $(T),$(if $(filter kcsan,$(DEBUG)),pcbstat/$(comma)pcbmq/))
DEBUG_SCALE := SELFTEST_TIMEOUT_SCALE=$${SELFTEST_TIMEOUT_SCALE:-5}
# KCSAN watches one access in kcsan.skip_watch (4000 by default) for a few
# microseconds; under TCG two vCPUs rarely overlap in so few watches, and a
# planted race went unseen. One in 200 catches it (dev-environment.rst).
KCSAN_SKIP_WATCH ?= 200
DEBUG_VNG := $(if $(filter kcsan,$(DEBUG)),VNG_OPTS="--append \
	kcsan.skip_watch=$(KCSAN_SKIP_WATCH) $${VNG_OPTS:-}")

ifdef DELEGATE

# ---- host side: hand everything to the dev root / the VM ----------------

.PHONY: all module bpf tools lint clean check check-full check-debug demo \
	bench setup shell peers man install uninstall install-dkms-src deb \
	dkms-install dkms-uninstall check-packaging check-man
all module bpf tools lint peers man deb dkms-install dkms-uninstall \
		check-man:
	$(VM) exec $(MAKE) --no-print-directory $@

# Binaries built in the dev root are linked against trixie's libraries:
# installing them on this host would be wrong, so say how to do it right.
install uninstall install-dkms-src:
	@echo "make $@ installs for this machine's kernel: run it with" \
		"KDIR=/lib/modules/\$$(uname -r)/build, or install the" \
		"packages of 'make deb'" >&2; exit 2

clean:
	@if [ -f "$$($(VM) path)/.pcbkit-kver" ]; then \
		$(VM) exec $(MAKE) --no-print-directory clean; \
	else rm -rf build; fi

setup:
	$(VM) setup

# Lint first: a style or sparse regression fails the suite like a test.
# The packages are tested with the whole suite, or when T names them
# (T=packaging alone runs only them). Lint, the man pages and the packages
# are the same whatever the kernel; the dev kernel's run checks them.
T_WORDS := $(subst $(comma), ,$(T))
T_SELFTESTS := $(filter-out packaging,$(T_WORDS))
DEV_KERNEL := $(filter dev,$(KERNEL))
check: $(if $(DEV_KERNEL),lint) all $(if $(DEV_KERNEL),check-man)
	$(if $(or $(T_SELFTESTS),$(if $(T),,all)),$(VM) run selftests/run $(T))
	$(if $(DEV_KERNEL),$(if $(or $(filter packaging,$(T_WORDS)),$(if $(T),,all)),\
		$(MAKE) check-packaging))

check-packaging: all
	tools/check-packaging

check-debug:
	$(MAKE) --no-print-directory KERNEL=$(DEBUG_KERNEL) all
	env $(DEBUG_SCALE) $(DEBUG_VNG) KERNEL=$(DEBUG_KERNEL) \
		VM_TIMEOUT=$${VM_TIMEOUT:-10800} $(VM) run selftests/run $(DEBUG_T)

check-full: lint all
	env $(FULL_SCALE) VM_TIMEOUT=$${VM_TIMEOUT:-21600} \
		$(VM) run selftests/run $(T)

demo: all
	$(VM) run tools/demo

bench: all peers
	$(VM) run build/bin/pcbbench $(BENCH)

shell: all
	$(VM) shell

else

# ---- native side: KDIR points at the target kernel's build tree ---------

BUILD := $(CURDIR)/build
BIN := $(BUILD)/bin
CLANG ?= clang
BPFTOOL ?= bpftool
CLANG_FORMAT ?= clang-format
W ?= 1
WERROR ?= 1
export PCBKIT_WERROR := $(WERROR)

# BTF of the target kernel: the headers package ships it as vmlinux.
BTF_SRC ?= $(firstword $(wildcard $(KDIR)/vmlinux) /sys/kernel/btf/vmlinux)
# vmlinux.h is rebuilt when BTF_SRC names another kernel, not only when the
# file is newer: build/ is shared by every kernel built against.
BTF_STAMP := $(BUILD)/bpf/btf-src
$(shell mkdir -p $(BUILD)/bpf; [ "$$(cat $(BTF_STAMP) 2>/dev/null)" = \
	"$(BTF_SRC)" ] || echo "$(BTF_SRC)" >$(BTF_STAMP))

BPF_SRCS := $(wildcard bpf/*.bpf.c)
BPF_NAMES := $(patsubst bpf/%.bpf.c,%,$(BPF_SRCS))
BPF_OBJS := $(patsubst %,$(BUILD)/bpf/%.bpf.o,$(BPF_NAMES))
BPF_SKELS := $(patsubst %,$(BUILD)/bpf/%.skel.h,$(BPF_NAMES))
BPF_HDRS := $(wildcard bpf/*.h)

# The kernel's own sched_ext headers (scx/common.bpf.h, compat.bpf.h,
# user_exit_info.h, compat.h): a build dependency, taken from Debian's
# linux-source. The dev root has it unpacked at /opt/linux-source (tools/vm
# needs checkpatch.pl from it too); anywhere else, a package build in a
# clean root say, only tools/sched_ext/include is unpacked, into build/,
# from the newest /usr/src/linux-source-*.tar.xz.
KSRC ?= /opt/linux-source
LINUX_SOURCE_TAR := $(lastword $(shell ls -v /usr/src/linux-source-*.tar.xz \
	2>/dev/null))
SCX_UNPACKED := $(BUILD)/linux-source/tools/sched_ext/include
SCX_KSRC := $(wildcard $(KSRC)/tools/sched_ext/include)
SCX_INCLUDE ?= $(or $(SCX_KSRC),$(SCX_UNPACKED))
SCX_HEADER := $(SCX_INCLUDE)/scx/common.bpf.h

# The BPF side's system headers (asm-generic/errno.h): clang's defaults for
# the host, searched after ours.
BPF_SYS_INC := $(shell $(CLANG) -v -E - </dev/null 2>&1 | \
	sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }')

# 7.x's BTF has anonymous tagged struct members: without -fms-extensions
# clang silently drops them and every later field offset is wrong.
BPF_CFLAGS := -target bpf -g -O2 -mcpu=v3 -D__TARGET_ARCH_x86 \
	-fms-extensions -Wno-microsoft-anon-tag -Wall -Werror \
	-I$(BUILD)/bpf -Ibpf -I$(SCX_INCLUDE) -I$(SCX_INCLUDE)/bpf-compat \
	$(BPF_SYS_INC)

CFLAGS ?= -O2 -g
TOOL_CFLAGS := $(CFLAGS) -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter \
	-D_GNU_SOURCE -I$(BUILD)/bpf -Ibpf -Imodule/uapi -Itools/lib \
	-isystem $(SCX_INCLUDE)
LIBBPF_LIBS := $(shell pkg-config --libs libbpf 2>/dev/null || echo -lbpf)

# Each tools/<name>/ with a main is one binary; tools/lib is shared by all.
TOOL_NAMES := $(notdir $(patsubst %/,%,$(dir $(wildcard tools/*/main.c))))
TOOL_BINS := $(patsubst %,$(BIN)/%,$(TOOL_NAMES))
LIB_SRCS := $(wildcard tools/lib/*.c)
LIB_HDRS := $(wildcard tools/lib/*.h) $(wildcard module/uapi/*.h)

# libpcbmq: the message-queue library, also an LD_PRELOAD stand-in for libc.
LIBPCBMQ_SRCS := $(wildcard tools/libpcbmq/*.c)
LIBPCBMQ := $(if $(LIBPCBMQ_SRCS),$(BUILD)/lib/libpcbmq.so)
# The same for 32-bit programs, through the device's compat_ioctl.
LIBPCBMQ32 := $(if $(LIBPCBMQ_SRCS),$(BUILD)/lib32/libpcbmq.so)

# Selftests written in C: selftests/<area>/<name>.c -> build/selftests/...
TEST_SRCS := $(wildcard selftests/*/*.c)
TEST_BINS := $(patsubst selftests/%.c,$(BUILD)/selftests/%,$(TEST_SRCS))
# A test may include its area's headers as well as the shared ones.
TEST_HDRS := $(wildcard selftests/*/*.h)

.PHONY: all module bpf tools lib lib32 selftests lint checkpatch sparse format kfuncs \
	clean check check-native check-full-native demo-native bench-native \
	peers man check-man install uninstall install-dkms-src dkms-install \
	dkms-uninstall deb
all: module bpf tools lib lib32 selftests

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=$(W) modules

bpf: $(BPF_SKELS)

.SECONDARY: $(BPF_OBJS)

$(BUILD)/bpf/vmlinux.h: $(BTF_SRC) $(BTF_STAMP)
	@mkdir -p $(@D)
	$(BPFTOOL) btf dump file $< format c > $@.tmp
	mv $@.tmp $@

$(BUILD)/bpf/%.bpf.o: bpf/%.bpf.c $(BUILD)/bpf/vmlinux.h $(BPF_HDRS) \
		$(SCX_HEADER)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(SCX_HEADER):
	$(if $(and $(LINUX_SOURCE_TAR),$(filter $(SCX_UNPACKED),$(SCX_INCLUDE))),,\
		$(error no sched_ext headers at $(SCX_INCLUDE): install \
		linux-source (6.13 or newer) or set \
		SCX_INCLUDE=<linux>/tools/sched_ext/include))
	rm -rf $(BUILD)/linux-source
	mkdir -p $(BUILD)/linux-source
	tar -xJf $(LINUX_SOURCE_TAR) -C $(BUILD)/linux-source \
		--strip-components=1 --wildcards '*/tools/sched_ext/include'
	touch $@

$(BUILD)/bpf/%.skel.h: $(BUILD)/bpf/%.bpf.o
	$(BPFTOOL) gen skeleton $< name $* > $@.tmp
	mv $@.tmp $@

tools: $(TOOL_BINS)

lib: $(LIBPCBMQ)

# Not part of lib: the packages ship no 32-bit library, and need no
# gcc-multilib to build.
lib32: $(LIBPCBMQ32)

# Programs never link it, they preload it: the soname only versions the
# ABI of the msg* calls it stands in for.
LIBPCBMQ_SONAME := libpcbmq.so.0

$(BUILD)/lib/libpcbmq.so: $(LIBPCBMQ_SRCS) $(wildcard tools/libpcbmq/*.h) \
		$(LIB_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(TOOL_CFLAGS) -fPIC -shared -fvisibility=hidden \
		-Itools/libpcbmq -Wl,-soname,$(LIBPCBMQ_SONAME) $(LDFLAGS) \
		-o $@ $(LIBPCBMQ_SRCS) -ldl

$(BUILD)/lib32/libpcbmq.so: $(LIBPCBMQ_SRCS) $(wildcard tools/libpcbmq/*.h) \
		$(LIB_HDRS)
	@mkdir -p $(@D)
	$(CC) -m32 $(CPPFLAGS) $(TOOL_CFLAGS) -fPIC -shared -fvisibility=hidden \
		-Itools/libpcbmq -Wl,-soname,$(LIBPCBMQ_SONAME) $(LDFLAGS) \
		-o $@ $(LIBPCBMQ_SRCS) -ldl

# Tool binaries depend on every skeleton: pcbsched embeds them. A tool's
# own headers are quoted includes only: pcbbench's sched.h must not stand
# in for <sched.h> (which <pthread.h> includes).
.SECONDEXPANSION:
$(BIN)/%: $$(wildcard tools/$$*/*.c tools/$$*/*.h) $(LIB_SRCS) $(LIB_HDRS) \
		$(BPF_SKELS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(TOOL_CFLAGS) -iquote tools/$* $(LDFLAGS) -o $@ \
		$(filter %.c,$^) $(LDLIBS_$*) $(LIBBPF_LIBS) -lm -lpthread

# A tool that needs more than libbpf says so here: LDLIBS_<tool> := ...
# The tools that reach /dev/pcbmq do it through libpcbmq, linked in.
PCBMQ_CLIENTS := $(BIN)/pcbmq $(BIN)/pcbbench
$(PCBMQ_CLIENTS): $(LIBPCBMQ_SRCS) $(wildcard tools/libpcbmq/*.h)
LDLIBS_pcbmq := -Itools/libpcbmq
LDLIBS_pcbbench := -Itools/libpcbmq
# pcbtop reads records as pcbstat does and the policy as pcbsched does.
PCBTOP_SHARED := tools/pcbstat/fetch.c tools/pcbstat/columns.c \
	tools/pcbsched/query.c
LDLIBS_pcbtop := -Itools/pcbstat -Itools/pcbsched \
	$(shell pkg-config --libs ncursesw 2>/dev/null || echo -lncursesw)
$(BIN)/pcbtop: $(PCBTOP_SHARED) tools/pcbstat/records.h \
	tools/pcbsched/pcbsched.h

selftests: $(TEST_BINS)

# Optional extra peers for pcbbench sched; never fails the build.
peers:
	-tools/scx-peers/build

$(BUILD)/selftests/%: selftests/%.c $(TEST_HDRS) $(LIB_HDRS)
	@mkdir -p $(@D)
	$(CC) $(TOOL_CFLAGS) -Iselftests/lib -o $@ $< -lpthread -lm

# A 32-bit program with 64-bit time, as 32-bit distributions now build
# them: its msgctl is libc's __msgctl64.
$(BUILD)/selftests/pcbmq/compat32: selftests/pcbmq/compat32.c $(TEST_HDRS) \
		$(LIB_HDRS)
	@mkdir -p $(@D)
	$(CC) -m32 -D_FILE_OFFSET_BITS=64 -D_TIME_BITS=64 $(TOOL_CFLAGS) \
		-Iselftests/lib -o $@ $<

# The ioctl fuzzer again as a 32-bit caller: the devices' compat paths.
$(BUILD)/selftests/fuzz/ioctls32: selftests/fuzz/ioctls32.c \
		selftests/fuzz/ioctls.c $(TEST_HDRS) $(LIB_HDRS)
	@mkdir -p $(@D)
	$(CC) -m32 -D_FILE_OFFSET_BITS=64 -D_TIME_BITS=64 $(TOOL_CFLAGS) \
		-Iselftests/lib -o $@ $< -lpthread

# ---- man pages: Documentation/man/NAME.SECTION.rst -> build/man/ ----------

MAN_SRCS := $(wildcard Documentation/man/*.rst)
MAN_PAGES := $(patsubst Documentation/man/%.rst,$(BUILD)/man/%,$(MAN_SRCS))
RST2MAN ?= rst2man

man: $(MAN_PAGES)

$(BUILD)/man/%: Documentation/man/%.rst
	@mkdir -p $(@D)
	$(RST2MAN) --strict --no-generator --no-datestamp $< $@.tmp
	mv $@.tmp $@

# Every option --help prints is in the man page, and nothing else is.
check-man: tools man
	tools/check-man $(BIN)

# ---- install: DESTDIR and PREFIX, as debian/rules uses them ---------------

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
LIBDIR ?= $(PREFIX)/lib
MANDIR ?= $(PREFIX)/share/man
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
UNITDIR ?= $(PREFIX)/lib/systemd/system
SYSCONFDIR ?= /etc
# DKMS looks for sources only here, whatever the prefix.
DKMS_SRCDIR := /usr/src/pcbstat-$(VERSION)

# A tool whose page is in section 8 is for the administrator.
ADMIN_TOOLS := $(patsubst Documentation/man/%.8.rst,%,\
	$(wildcard Documentation/man/*.8.rst))
tool_dir = $(if $(filter $(1),$(ADMIN_TOOLS)),$(SBINDIR),$(BINDIR))

# The module's sources are whatever Kbuild builds from: found, not listed.
DKMS_SRCS := Kbuild $(sort $(shell find module -type f \
	\( -name '*.[ch]' -o -name Kbuild \) ! -name '*.mod.c'))

install: tools lib man
	$(foreach t,$(TOOL_NAMES),install -D -m 0755 $(BIN)/$(t) \
		$(DESTDIR)$(call tool_dir,$(t))/$(t) &&) true
	install -D -m 0644 $(LIBPCBMQ) $(DESTDIR)$(LIBDIR)/$(LIBPCBMQ_SONAME)
	$(if $(DESTDIR),,-ldconfig)
	$(foreach m,$(MAN_PAGES),install -D -m 0644 $(m) \
		$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(m)))/$(notdir $(m)) &&) true
	$(foreach t,$(TOOL_NAMES),install -D -m 0644 tools/completion/pcbkit \
		$(DESTDIR)$(COMPLETIONDIR)/$(t) &&) true
	install -d $(DESTDIR)$(UNITDIR)
	sed 's|@SBINDIR@|$(SBINDIR)|g; s|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		tools/pcbsched/pcbsched.service.in \
		>$(DESTDIR)$(UNITDIR)/pcbsched.service
	install -D -m 0644 tools/pcbsched/pcbsched.default \
		$(DESTDIR)$(SYSCONFDIR)/default/pcbsched

uninstall:
	rm -f $(foreach t,$(TOOL_NAMES),$(DESTDIR)$(call tool_dir,$(t))/$(t) \
		$(DESTDIR)$(COMPLETIONDIR)/$(t)) \
		$(DESTDIR)$(LIBDIR)/$(LIBPCBMQ_SONAME) \
		$(foreach m,$(MAN_PAGES),$(DESTDIR)$(MANDIR)/man$(subst \
			.,,$(suffix $(m)))/$(notdir $(m))) \
		$(DESTDIR)$(UNITDIR)/pcbsched.service \
		$(DESTDIR)$(SYSCONFDIR)/default/pcbsched

install-dkms-src:
	for f in $(DKMS_SRCS); do \
		install -D -m 0644 $$f $(DESTDIR)$(DKMS_SRCDIR)/$$f || exit 1; \
	done
	sed 's/#MODULE_VERSION#/$(VERSION)/' dkms.conf \
		>$(DESTDIR)$(DKMS_SRCDIR)/dkms.conf

# Into this root's DKMS, for every kernel with headers; exit status 77 is
# DKMS skipping a kernel that BUILD_EXCLUSIVE_* rules out. The checkout's
# sources replace an earlier dkms-install's of the same version.
dkms-install:
	if dkms status pcbstat/$(VERSION) | grep -q .; then \
		dkms remove pcbstat/$(VERSION) --all; fi
	rm -rf $(DKMS_SRCDIR)
	$(MAKE) --no-print-directory install-dkms-src DESTDIR=
	dkms add pcbstat/$(VERSION)
	for build in /lib/modules/*/build; do \
		kver=$$(basename $$(dirname $$build)); \
		dkms install pcbstat/$(VERSION) -k $$kver || \
			[ $$? = 77 ] || exit 1; \
	done
	dkms status pcbstat/$(VERSION)

dkms-uninstall:
	-dkms remove pcbstat/$(VERSION) --all
	rm -rf $(DKMS_SRCDIR)

# The packages, built from a copy of the tree as it is (committed or not)
# so that the checkout stays clean; lintian errors and warnings fail.
DEB_DIR := $(BUILD)/deb
deb:
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_DIR)/pcbkit-$(VERSION)
	tar -c --exclude-vcs --exclude-vcs-ignores --exclude=./build . | \
		tar -x -C $(DEB_DIR)/pcbkit-$(VERSION)
	cd $(DEB_DIR)/pcbkit-$(VERSION) && dpkg-buildpackage -us -uc -b
	lintian --fail-on error,warning $(DEB_DIR)/pcbkit_$(VERSION)_*.changes

# ---- lint ----------------------------------------------------------------

CHECKPATCH ?= $(KSRC)/scripts/checkpatch.pl
KERNEL_C := $(filter-out %.mod.c,$(wildcard module/*.c module/*.h module/uapi/*.h))
USER_C := $(wildcard tools/*/*.c tools/*/*.h bpf/*.c bpf/*.h \
	selftests/*/*.c selftests/*/*.h)

lint: checkpatch sparse format kfuncs

checkpatch:
	$(CHECKPATCH) --strict --no-tree --quiet --show-types \
		--ignore SPDX_LICENSE_TAG,FILE_PATH_CHANGES -f $(KERNEL_C)

# C=2 re-checks every file, not only the ones make rebuilds. Debian trixie's
# sparse 0.6.4 predates __typeof_unqual__, which 7.x headers use under
# __CHECKER__; __typeof__ is the closest it understands. tools/sparse-filter
# drops its one remaining false positive.
SPARSE_CF := -D__typeof_unqual__=__typeof__
sparse:
	@mkdir -p $(BUILD)
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=$(W) C=2 CF='$(SPARSE_CF)' modules \
		2>&1 | tools/sparse-filter | tee $(BUILD)/sparse.log
	@! grep -E 'warning|error|not available' $(BUILD)/sparse.log

format:
	$(CLANG_FORMAT) --dry-run --Werror $(USER_C)

# Would the policies load on 6.13, the oldest sched_ext kernel supported?
kfuncs: $(BPF_OBJS)
	tools/kfunc-compat/check $^

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf $(BUILD)

# On a sched_ext-capable machine you may sacrifice, run the suite directly.
check-native: all
	selftests/run $(T)

check-full-native: all
	env $(FULL_SCALE) selftests/run $(T)

demo-native: all
	tools/demo

bench-native: all peers
	$(BIN)/pcbbench $(BENCH)

endif
