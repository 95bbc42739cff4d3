/* data_image.c: decodes one PNG (libpng's simplified API) or JPEG (libjpeg) file into 8-bit CHW
 * planes for the image-folder loader (see codebench/data.h). Grey images give 1 channel and
 * colour images 3; alpha is composited away by libpng and absent from JPEG. */
#include <codebench/data.h>
#include <codebench/sdk.h>

#include <errno.h>
#include <setjmp.h>
#include <stdio.h> /* before jpeglib.h, which uses FILE */
#include <jerror.h>
#include <jpeglib.h>
#include <png.h>
#include <stdlib.h>
#include <string.h>

/* Interleaved HWC (what both decoders give) to planar CHW (what tensors use). */
static uint8_t *to_planes(const uint8_t *hwc, int c, int h, int w)
{
    uint8_t *chw = malloc((size_t)c * h * w);
    if (!chw)
        return NULL;
    for (int k = 0; k < c; k++)
        for (int i = 0; i < h * w; i++)
            chw[(size_t)k * h * w + i] = hwc[(size_t)i * c + k];
    return chw;
}

static int decode_png(const char *path, uint8_t **hwc, int *c, int *h, int *w, cb_error *e)
{
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, path))
        return cb_error_set(e, CB_EINVAL, NULL, "%s: bad PNG: %s", path, img.message);
    *c = (img.format & PNG_FORMAT_FLAG_COLOR) ? 3 : 1;
    img.format = *c == 3 ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY;
    *h = (int)img.height;
    *w = (int)img.width;
    *hwc = malloc(PNG_IMAGE_SIZE(img));
    if (!*hwc) {
        png_image_free(&img);
        return cb_error_set(e, CB_EFAIL, NULL, "%s: out of memory", path);
    }
    if (!png_image_finish_read(&img, NULL, *hwc, 0, NULL)) {
        free(*hwc);
        *hwc = NULL;
        return cb_error_set(e, CB_EINVAL, NULL, "%s: bad PNG: %s", path, img.message);
    }
    return CB_OK;
}

typedef struct jpeg_fail {
    struct jpeg_error_mgr mgr;
    jmp_buf jump;
} jpeg_fail;

/* libjpeg's default error_exit calls exit(); a library must not, so jump back instead. */
static void jpeg_error_exit(j_common_ptr cinfo)
{
    longjmp(((jpeg_fail *)cinfo->err)->jump, 1);
}

/* libjpeg only warns at a premature end of file and pads the image with grey; a truncated
 * training image must fail loudly instead. Other warnings stay silent. */
static void jpeg_emit_message(j_common_ptr cinfo, int level)
{
    if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF)
        longjmp(((jpeg_fail *)cinfo->err)->jump, 1);
}

static int decode_jpeg(const char *path, uint8_t **hwc, int *c, int *h, int *w, cb_error *e)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return cb_error_set(e, CB_EINVAL, NULL, "%s: cannot open: %s", path, strerror(errno));
    struct jpeg_decompress_struct ci;
    jpeg_fail fail;
    uint8_t *volatile buf = NULL;
    ci.err = jpeg_std_error(&fail.mgr);
    fail.mgr.error_exit = jpeg_error_exit;
    fail.mgr.emit_message = jpeg_emit_message;
    if (setjmp(fail.jump)) {
        char msg[JMSG_LENGTH_MAX];
        fail.mgr.format_message((j_common_ptr)&ci, msg);
        jpeg_destroy_decompress(&ci);
        fclose(f);
        free(buf);
        return cb_error_set(e, CB_EINVAL, NULL, "%s: bad JPEG: %s", path, msg);
    }
    jpeg_create_decompress(&ci);
    jpeg_stdio_src(&ci, f);
    jpeg_read_header(&ci, TRUE);
    ci.out_color_space = ci.num_components == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_start_decompress(&ci);
    size_t stride = (size_t)ci.output_width * ci.output_components;
    buf = malloc(stride * ci.output_height);
    if (!buf)
        longjmp(fail.jump, 1);
    while (ci.output_scanline < ci.output_height) {
        JSAMPROW row = buf + stride * ci.output_scanline;
        jpeg_read_scanlines(&ci, &row, 1);
    }
    *c = ci.output_components;
    *h = (int)ci.output_height;
    *w = (int)ci.output_width;
    jpeg_finish_decompress(&ci);
    jpeg_destroy_decompress(&ci);
    fclose(f);
    *hwc = buf;
    return CB_OK;
}

int cb_image_decode(const char *path, uint8_t **pixels, int32_t *c, int32_t *h, int32_t *w,
                    cb_error *e)
{
    uint8_t magic[4] = {0};
    FILE *f = fopen(path, "rb");
    if (!f)
        return cb_error_set(e, CB_EINVAL, NULL, "%s: cannot open: %s", path, strerror(errno));
    size_t got = fread(magic, 1, sizeof magic, f);
    fclose(f);
    uint8_t *hwc = NULL;
    int cc = 0, hh = 0, ww = 0, rc;
    if (got == 4 && memcmp(magic, "\x89PNG", 4) == 0)
        rc = decode_png(path, &hwc, &cc, &hh, &ww, e);
    else if (got >= 3 && magic[0] == 0xff && magic[1] == 0xd8 && magic[2] == 0xff)
        rc = decode_jpeg(path, &hwc, &cc, &hh, &ww, e);
    else
        return cb_error_set(e, CB_EINVAL, NULL, "%s: neither PNG nor JPEG (first bytes %02x %02x %02x)",
                            path, magic[0], magic[1], magic[2]);
    if (rc)
        return rc;
    *pixels = to_planes(hwc, cc, hh, ww);
    free(hwc);
    if (!*pixels)
        return cb_error_set(e, CB_EFAIL, NULL, "%s: out of memory", path);
    *c = cc;
    *h = hh;
    *w = ww;
    return CB_OK;
}
