/* fuzz/model_card.c: libFuzzer harness for the model-card loader (core/cnn): load through the
 * fuzz build's op plugins (shape inference and the isomorphism hash run inside the load), then
 * the structural embedding, as `codebench model` and a study do. */
#include "cnn/net.h"
#include "fuzz_util.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cb_registry *reg = cb_fuzz_registry();
    const char *path = cb_fuzz_file("card.yaml", data, size);
    cb_net net;
    cb_diag d;
    memset(&net, 0, sizeof net);
    if (cb_net_load_card(path, reg, &net, &d) == CB_OK) {
        float emb[CB_NET_EMBED_DIM];
        cb_net_embed(&net, emb);
    }
    cb_net_free(&net);
    return 0;
}
