# Liteset build. `make run` / `make test` are the two README commands.
# Every folder's .c files are compiled automatically; binaries have their own mains.

CC      ?= gcc
DEB_PKGS = build-essential pkg-config libfcgi-dev libpq-dev libjansson-dev libhiredis-dev \
           libev-dev libssl-dev zlib1g-dev libmsgpack-dev libyaml-dev libzip-dev libexpat1-dev libfreexl-dev libcsv-dev \
           libcriterion-dev postgresql redis-server nginx-light spawn-fcgi wrk curl procps
# Positional initializers may leave trailing fields out (route tables gain optional fields).
BASE_CFLAGS = -std=gnu11 -Wall -Wextra -Werror -Wno-missing-field-initializers -D_GNU_SOURCE -I. -I/usr/include/postgresql -MMD -MP
# libyaml: YAML bundles (import/export); libzip: ZIP bundles and .xlsx archives.
# libexpat: streaming XML parser for .xlsx parts; libfreexl: .xls (BIFF) workbooks.
# libcsv: CSV file uploads (a small, well-kept RFC 4180 tokenizer with quoting and doubled quotes).
LDLIBS  = -lev -ljansson -lhiredis -lmsgpackc -lpq -lssl -lcrypto -lz -lyaml -lzip -lexpat -lfreexl -lcsv -lpthread -lm

MODE ?= release
ifeq ($(MODE),asan)
  BUILD  = build/asan
  CFLAGS = $(BASE_CFLAGS) -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
  LDFLAGS = -fsanitize=address,undefined
else
  BUILD  = build
  CFLAGS = $(BASE_CFLAGS) -O2 -g
  LDFLAGS =
endif

CORE_DIRS = lib config persistence domain sql fcgi fcgi/api fcgi/spa
CORE_SRC  = $(filter-out fcgi/main.c,$(foreach d,$(CORE_DIRS),$(wildcard $(d)/*.c)))
CORE_OBJ  = $(CORE_SRC:%.c=$(BUILD)/obj/%.o)
CLI_SRC   = $(wildcard cli/*.c)
CLI_OBJ   = $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_SRC  = $(wildcard tests/unit/*.c)
UNIT_OBJ  = $(UNIT_SRC:%.c=$(BUILD)/obj/%.o)
INTEG_SRC = $(wildcard tests/integration/*.c)
INTEG_OBJ = $(INTEG_SRC:%.c=$(BUILD)/obj/%.o)
SCHEMA_SQL = migrations/superset_6_0_0.sql

BINS = $(BUILD)/liteset $(BUILD)/liteset-fcgi

.PHONY: all deps run stop test test-unit test-integration bench clean
all: $(BINS)

deps:
	@./scripts/deps.sh $(DEB_PKGS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

# The schema SQL is embedded in the CLI binary (see cli/schema_blob.S).
$(BUILD)/obj/cli/schema_blob.o: cli/schema_blob.S $(SCHEMA_SQL)
	@mkdir -p $(dir $@)
	$(CC) -c -DSCHEMA_PATH='"$(SCHEMA_SQL)"' $< -o $@

$(BUILD)/libliteset.a: $(CORE_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/liteset-fcgi: $(BUILD)/obj/fcgi/main.o $(BUILD)/libliteset.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/liteset: $(CLI_OBJ) $(BUILD)/obj/cli/schema_blob.o $(BUILD)/libliteset.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/test-unit: $(UNIT_OBJ) $(BUILD)/libliteset.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcriterion

$(BUILD)/test-integration: $(INTEG_OBJ) $(BUILD)/libliteset.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcriterion

# The example bundle is loaded when it sits next to the project (never copied in).
EXAMPLES_DIR = ../shared/superset-examples

run: deps all
	@./scripts/stack.sh start var
	@if [ -f $(EXAMPLES_DIR)/configs/metadata.yaml ]; then \
		echo "liteset load-examples $(EXAMPLES_DIR)"; \
		SUPERSET_CONFIG_PATH=$(CURDIR)/var/superset_config.py $(BUILD)/liteset load-examples $(EXAMPLES_DIR) >var/log/load-examples.log 2>&1 \
			|| { echo "load-examples failed, see var/log/load-examples.log"; exit 1; }; \
	else echo "note: $(EXAMPLES_DIR) not found, example dashboards not loaded"; fi

stop:
	@./scripts/stack.sh stop var

# Tests run under ASan+UBSan: the whole tree (binaries included) is rebuilt in build/asan.
test: deps all
	$(MAKE) MODE=asan build/asan/liteset build/asan/liteset-fcgi build/asan/test-unit build/asan/test-integration
	./scripts/run-tests.sh build/asan

bench: deps all
	@./bench/run.sh build

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
