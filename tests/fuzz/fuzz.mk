# tests/fuzz/fuzz.mk: libFuzzer harnesses over the parsers in common/.
# Included by the top Makefile.
#   make fuzz			every harness for FUZZ_SECONDS (default 60)
#   make fuzz-form		one harness; also header, config, template,
#				phc, redirect_uri, jws (make -j2 fuzz runs two at once)
#   make fuzz-replay		every corpus file once under ASan+UBSan
#
# The fuzzers are built with clang into build/fuzz/. New inputs go to
# build/fuzz/corpus/<name>/, so tests/fuzz/corpus/ only changes by hand;
# crashes land in build/fuzz/crash/ and the log in build/fuzz/<name>.log.
# fuzz-replay needs no clang: it links the harnesses against the SAN=1
# library with the plain driver replay_main.c.

FUZZERS		+= form
FUZZERS		+= header
FUZZERS		+= config
FUZZERS		+= template
FUZZERS		+= phc
FUZZERS		+= redirect_uri
FUZZERS		+= jws

# The modules the harnesses reach; the archive links only what is used.
FUZZ_OBJ_NAMES	+= arena.o
FUZZ_OBJ_NAMES	+= str.o
FUZZ_OBJ_NAMES	+= urlenc.o
FUZZ_OBJ_NAMES	+= form.o
FUZZ_OBJ_NAMES	+= header.o
FUZZ_OBJ_NAMES	+= config.o
FUZZ_OBJ_NAMES	+= html.o
FUZZ_OBJ_NAMES	+= template.o
FUZZ_OBJ_NAMES	+= json.o
FUZZ_OBJ_NAMES	+= b64.o
FUZZ_OBJ_NAMES	+= crypto.o
FUZZ_OBJ_NAMES	+= password.o
FUZZ_OBJ_NAMES	+= pkce.o
FUZZ_OBJ_NAMES	+= scope.o
FUZZ_OBJ_NAMES	+= redirect_uri.o
FUZZ_OBJ_NAMES	+= jwk.o
FUZZ_OBJ_NAMES	+= jwt.o

FUZZ_SECONDS	?= 60
FUZZ_CC		?= clang
FUZZ_FLAGS	?= -timeout=10 -rss_limit_mb=2048
FUZZ_DIR	= build/fuzz
FUZZ_SAN	= -fsanitize=address,undefined -fno-sanitize-recover=undefined \
		  -fno-omit-frame-pointer
# clang's -Wformat=2 also flags the va_list vsnprintf in strbuf_vappendf.
FUZZ_CFLAGS	= -O1 -g $(WARN_CFLAGS) -Wno-format-nonliteral $(FUZZ_SAN) \
		  -fsanitize=fuzzer-no-link \
		  -D_GNU_SOURCE -Icommon $(PKG_CFLAGS) $(CFLAGS) -MMD -MP
FUZZ_LIB	= $(FUZZ_DIR)/libfuzzcommon.a
FUZZ_BINS	= $(patsubst %,$(FUZZ_DIR)/fuzz_%,$(FUZZERS))
FUZZ_RUNS	= $(addprefix fuzz-,$(FUZZERS))
REPLAY_BINS	= $(patsubst %,$(OBJ)/fuzz/replay_%,$(FUZZERS))

$(FUZZ_DIR)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZCC  $<")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_LIB): $(addprefix $(FUZZ_DIR)/common/,$(FUZZ_OBJ_NAMES))
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

$(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/tests/fuzz/fuzz_%.o $(FUZZ_LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS)

fuzz: $(FUZZ_RUNS)

fuzz-build: $(FUZZ_BINS)

# libFuzzer writes new inputs to its first directory only; a crash, leak,
# timeout or failed check exits non-zero and fails the target.
$(FUZZ_RUNS): fuzz-%: $(FUZZ_DIR)/fuzz_%
	@mkdir -p $(FUZZ_DIR)/corpus/$* $(FUZZ_DIR)/crash
	@echo "  FUZZ    $* for $(FUZZ_SECONDS) s"
	$(Q)if ! $< $(FUZZ_FLAGS) -max_total_time=$(FUZZ_SECONDS) \
	    -print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/crash/$*- \
	    $(FUZZ_DIR)/corpus/$* tests/fuzz/corpus/$* \
	    >$(FUZZ_DIR)/$*.log 2>&1; then \
		tail -n 40 $(FUZZ_DIR)/$*.log; \
		echo "fuzz_$*: FAILED (log $(FUZZ_DIR)/$*.log)"; \
		exit 1; \
	fi
	@sed -n -e 's/^Done \(.*\)/  FUZZ    $*: \1/p' \
	    -e 's/^stat::average_exec_per_sec: *\(.*\)/  FUZZ    $*: \1 exec\/s/p' \
	    $(FUZZ_DIR)/$*.log

# The SAN=1 sub-make gives OBJ = build/san and the sanitizer flags.
fuzz-replay:
	$(Q)$(MAKE) --no-print-directory SAN=1 fuzz-replay-run

$(OBJ)/fuzz/replay_%: $(OBJ)/tests/fuzz/fuzz_%.o \
    $(OBJ)/tests/fuzz/replay_main.o $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(FINAL_LDFLAGS) -o $@ $^ $(FINAL_LIBS)

fuzz-replay-run: $(REPLAY_BINS)
	$(Q)set -e; for f in $(FUZZERS); do \
		printf '  REPLAY  %-14s' $$f; \
		$(OBJ)/fuzz/replay_$$f tests/fuzz/corpus/$$f; \
	done

.PHONY: fuzz fuzz-build fuzz-replay fuzz-replay-run $(FUZZ_RUNS)
