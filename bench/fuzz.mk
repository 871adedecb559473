# Long fuzzing runs (bench/README.md, "Fuzzing"): `make bench-fuzz` runs
# every fuzzer of make check far longer, with a fresh seed; `make
# bench-fuzz-cov` measures the fuzzers' line coverage of kernel/cpu and
# devices/virtio-*.c with gcov.  For the ASan/UBSan vmm and engine:
# `make bench-fuzz BUILD=build/san SANITIZE=1` (the libFuzzer targets
# carry their sanitizers in every build).

FUZZ_LONG_SECONDS	?= 600
FUZZ_LONG_CASES		?= 100000
FUZZ_LONG_ROUNDS	?= 100000
FUZZ_LONG_SEED		?= $(shell date +%s)

.PHONY: bench-fuzz bench-fuzz-cov
#? bench-fuzz: every fuzzer, long (FUZZ_LONG_* variables)
bench-fuzz: $(BUILD)/tests/cpu/test_fuzz $(BUILD)/tests/virtio_fuzz fuzz-build
	FUZZ_CASES=$(FUZZ_LONG_CASES) FUZZ_SEED=$(FUZZ_LONG_SEED) FUZZ_VERBOSE=1 \
		$(BUILD)/tests/cpu/test_fuzz
	FUZZ_SEED=$(FUZZ_LONG_SEED) FUZZ_ROUNDS=$(FUZZ_LONG_ROUNDS) $(BUILD)/tests/virtio_fuzz
	FUZZ_SECONDS=$(FUZZ_LONG_SECONDS) FUZZ_RUNS=-1 FUZZ_SEED=$(FUZZ_LONG_SEED) \
		FUZZ_KEEP=$(FUZZ_DIR)/corpus tests/fuzz/run-fuzz.sh $(FUZZ_DIR)

# With --coverage into $(BUILD)/cov: the engine under the instruction
# fuzzer, then vmm's virtio devices under the virtio fuzzer guest; gcov's
# per-file line figures for kernel/cpu and devices/virtio-*.c.
FUZZ_COV_DIR	:= $(BUILD)/cov
FUZZ_COV_MAKE	:= $(MAKE) BUILD=$(FUZZ_COV_DIR) OPT="-O1 --coverage" LDFLAGS=--coverage SANITIZE=
# gcov_summary(objdir, sources, label)
gcov_summary = cd $(FUZZ_COV_DIR) && gcov -n -o $(1) $(addprefix $(CURDIR)/,$(2)) 2>/dev/null | \
	awk '/^File .*\.c/ { f = $$2 } \
	     /^Lines executed/ && f { split($$2, a, ":"); sub("%", "", a[2]); \
		n = $$4; hit += a[2] * n / 100; all += n; \
		printf "  %-32s %s of %s lines\n", f, a[2] "%", n; f = "" } \
	     END { printf "$(3): %.1f%% of %d lines executed\n", 100 * hit / all, all }'
#? bench-fuzz-cov: the fuzzers' line coverage of kernel/cpu and devices/virtio-* (gcov)
bench-fuzz-cov:
	rm -f $(FUZZ_COV_DIR)/obj/kernel/cpu/*.gcda $(FUZZ_COV_DIR)/obj/devices/*.gcda
	$(FUZZ_COV_MAKE) $(FUZZ_COV_DIR)/tests/cpu/test_fuzz $(FUZZ_COV_DIR)/tests/virtio_fuzz
	FUZZ_CASES=$(FUZZ_LONG_CASES) FUZZ_SEED=$(FUZZ_LONG_SEED) $(FUZZ_COV_DIR)/tests/cpu/test_fuzz
	FUZZ_ROUNDS=$(FUZZ_LONG_ROUNDS) FUZZ_SEED=$(FUZZ_LONG_SEED) $(FUZZ_COV_DIR)/tests/virtio_fuzz
	@$(call gcov_summary,obj/kernel/cpu,$(wildcard kernel/cpu/*.c),kernel/cpu)
	@$(call gcov_summary,obj/kernel,$(wildcard kernel/*.c),kernel/*.c (the backend, both runs))
	@$(call gcov_summary,obj/devices,$(wildcard devices/virtio*.c),devices/virtio)
