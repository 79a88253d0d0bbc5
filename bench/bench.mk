# bench.mk: the ceiling responders of bench/ and `make bench`.
#   make bench      build everything, then run bench/run (about 3 minutes)
# Included by the top Makefile; uses its OBJ, OUT, LIB and flag groups.

BENCH_PROGS	+= hello
BENCH_PROGS	+= select
BENCH_PROGS	+= insert
BENCH_BINS	= $(patsubst %,$(OUT)/bench/bin/%.fcgi,$(BENCH_PROGS))

$(OUT)/bench/bin/%.fcgi: $(OBJ)/bench/%.o $(OBJ)/bench/ceiling.o $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(FINAL_LDFLAGS) -o $@ $^ $(FINAL_LIBS)

bench-bins: $(BENCH_BINS)

# The sanitizer build is measured only when asked for (make SAN=1 bench).
bench: all bench-bins
	$(Q)OAUTH_BINDIR=$(if $(filter 1,$(SAN)),san,) bench/run

# The cluster of README "Beyond one machine", until Ctrl-C (bench/cluster).
cluster-demo: all
	tools/deps.sh all
	$(Q)OAUTH_BINDIR=$(if $(filter 1,$(SAN)),san,) bench/cluster

# Expired-row cleanup on PURGE_ROWS tokens (bench/purge; 10 million: ~10 min).
bench-purge: all
	$(Q)OAUTH_BINDIR=$(if $(filter 1,$(SAN)),san,) bench/purge

# PgBouncer and plain CGI beside the direct connection (bench/scale).
bench-scale: all
	$(Q)OAUTH_BINDIR=$(if $(filter 1,$(SAN)),san,) bench/scale

bench-clean:
	rm -rf bench/bin

clean: bench-clean

.PHONY: bench bench-bins bench-clean cluster-demo bench-purge bench-scale
