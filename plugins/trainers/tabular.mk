# plugins/trainers/tabular.mk: the table trainer reads the benchmark files with jansson and checks
# NAS-Bench-101's MD5 keys with libcrypto.
PACK_LIBS_trainers_tabular := $(shell pkg-config --libs jansson libcrypto 2>/dev/null)
