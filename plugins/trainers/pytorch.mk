# plugins/trainers/pytorch.mk: the pytorch trainer reads data sets with libcbsdk's loaders
# (zlib, libpng, libjpeg), finds its own folder with dladdr (-ldl), and ships its training
# script beside the .so (installed with it by `make install`).
PACK_LIBS_trainers_pytorch := $(shell pkg-config --libs zlib libpng libjpeg 2>/dev/null) -ldl

$(BUILD)/plugins/trainers/pytorch_train.py: plugins/trainers/pytorch/pytorch_train.py
	@mkdir -p $(@D)
	install -m 0644 $< $@

$(BUILD)/plugins/trainers/pytorch.so: $(BUILD)/plugins/trainers/pytorch_train.py
