# plugins/trainers/native.mk: the native trainer's data loaders (libcbsdk's data_*.c) decode
# gzip'd IDX files with zlib and image folders with libpng and libjpeg.
PACK_LIBS_trainers_native := $(shell pkg-config --libs zlib libpng libjpeg 2>/dev/null)
