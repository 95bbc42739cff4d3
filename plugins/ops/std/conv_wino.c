/* conv_wino.c: 3x3, stride-1, 'same' 2-D convolutions by Winograd's minimal filtering
 * F(4x4, 3x3) (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks", 2016):
 * the forward pass and the weight gradient. The data gradient of such a convolution is itself
 * one (conv_gemm.c flips the kernel), so it comes here through the forward pass.
 *
 * A 6x6 input tile d gives a 4x4 output tile Y = A^T [sum_c (G g_c G^T) . (B^T d_c B)] A:
 * 36 multiplications per channel pair where direct convolution needs 144. Per block of tiles
 * the element-wise products summed over channels are 36 GEMMs, U[xi] [cout x cin] times
 * V[xi] [cin x tiles], run by host->sgemm. The weight gradient is the transpose of that map:
 * dU[xi] = sum over tiles of (A dY A^T)[xi] V[xi]^T, then dg = G^T dU G.
 *
 * The transforms are vectorized across the tiles of one tile row: each input row is first
 * split into its four phases (column 4i + j goes to phase j, position i), so that the six
 * columns a tile reads are six contiguous vectors (phases 0..3 at i, phases 0..1 at i + 1).
 *
 * Rounding: the transforms' constants (up to 8 and 1/24) cost about one decimal digit of
 * float precision against direct convolution (relative error ~1e-6 of the output's scale);
 * tests/unit/ops_forward.c checks it against plain loops. */
#include "std_ops.h"

#include <string.h>

#define WT 4  /* outputs per tile side */
#define WA 6  /* transformed tile side: WT + 3 - 1 */
#define WX 36 /* WA * WA: GEMMs per block */
#define VL 4  /* vector lanes: tiles per transform step (= WT: transpose4 turns phases into tiles) */
_Static_assert(VL == WT, "transpose4 needs as many lanes as outputs per tile side");

typedef float vf __attribute__((vector_size(VL * sizeof(float))));

/* Tiles per GEMM block: enough columns for an efficient GEMM, V and M about 2 MB. */
#define BLOCK_BYTES (1 << 19)
#define MIN_TILES 64
#define MAX_TILES 512

static inline vf vload(const float *p)
{
    vf v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline void vstore(float *p, vf v)
{
    memcpy(p, &v, sizeof v);
}

/* ---- the three transforms on vectors of tiles ---------------------------------------------- */

/* r = B^T d (one 6-vector) */
static inline void bt6(const vf d[WA], vf r[WA])
{
    r[0] = 4 * d[0] - 5 * d[2] + d[4];
    r[1] = d[3] + d[4] - 4 * (d[1] + d[2]);
    r[2] = 4 * (d[1] - d[2]) + d[4] - d[3];
    r[3] = 2 * (d[3] - d[1]) + d[4] - d[2];
    r[4] = 2 * (d[1] - d[3]) + d[4] - d[2];
    r[5] = 4 * d[1] - 5 * d[3] + d[5];
}

/* r = A^T m (6 -> 4) */
static inline void at6(const vf m[WA], vf r[WT])
{
    vf p1 = m[1] + m[2], m1 = m[1] - m[2], p2 = m[3] + m[4], m2 = m[3] - m[4];
    r[0] = m[0] + p1 + p2;
    r[1] = m1 + 2 * m2;
    r[2] = p1 + 4 * p2;
    r[3] = m1 + 8 * m2 + m[5];
}

/* r = A y (4 -> 6), the transpose of at6 */
static inline void a4(const vf y[WT], vf r[WA])
{
    vf e = y[0] + y[2], o = y[1] + y[3], e4 = y[0] + 4 * y[2], o8 = 2 * y[1] + 8 * y[3];
    r[0] = y[0];
    r[1] = e + o;
    r[2] = e - o;
    r[3] = e4 + o8;
    r[4] = e4 - o8;
    r[5] = y[3];
}

/* Scalar G (6x3) for the kernels: U = G g G^T and dg = G^T dU G. */
static const float G[WA][3] = {{0.25f, 0, 0},
                               {-1.0f / 6, -1.0f / 6, -1.0f / 6},
                               {-1.0f / 6, 1.0f / 6, -1.0f / 6},
                               {1.0f / 24, 1.0f / 12, 1.0f / 6},
                               {1.0f / 24, -1.0f / 12, 1.0f / 6},
                               {0, 0, 1}};

/* ---- geometry ------------------------------------------------------------------------------ */

typedef struct wino {
    int th, tw;       /* tile rows and columns per image */
    int twv;          /* tw rounded up to VL: the transform loops' width */
    int pw;           /* phase row width: twv + VL (reads at i + 1 stay inside) */
    int64_t tiles;    /* per image */
    int nb;           /* images per block */
    int64_t tb, ld;   /* tiles per block, stride of V's and M's rows (tb + VL) */
    int64_t rows;     /* floats of the phase buffer: (4 th + 2) x 4 x pw */
} wino;

bool sop_wino_ok(const sop_geom *g)
{
    /* small channel counts make the 36 GEMMs too thin to pay for the transforms; a tiny map
     * wastes most of each 4x4 tile */
    return g->d == 1 && g->kd == 1 && g->kh == 3 && g->kw == 3 && g->sh == 1 && g->sw == 1 &&
           g->ph == 1 && g->pw == 1 && g->groups == 1 && g->oh == g->h && g->ow == g->w &&
           g->cin >= 16 && g->cout >= 16 && (int64_t)g->oh * g->ow >= 36;
}

static wino wino_of(const sop_geom *g)
{
    wino w;
    w.th = (g->oh + WT - 1) / WT;
    w.tw = (g->ow + WT - 1) / WT;
    w.twv = (w.tw + VL - 1) / VL * VL;
    w.pw = w.twv + VL;
    w.tiles = (int64_t)w.th * w.tw;
    int cmax = g->cin > g->cout ? g->cin : g->cout;
    int64_t want = BLOCK_BYTES / ((int64_t)WX * cmax * (int64_t)sizeof(float));
    want = want < MIN_TILES ? MIN_TILES : want > MAX_TILES ? MAX_TILES : want;
    int64_t nb = (want + w.tiles - 1) / w.tiles;
    w.nb = (int)(nb > g->n ? g->n : nb < 1 ? 1 : nb);
    w.tb = w.nb * w.tiles;
    w.ld = w.tb + VL;
    w.rows = (int64_t)(WT * w.th + 2) * WT * w.pw;
    return w;
}

/* Workspace: [U or dU: 36 x cout x cin][V: cin x 36 x ld][M: cout x 36 x ld]
 * [phases: (4 th + 2) x 4 x pw][one padded row: 4 pw]. A channel's 36 rows lie side by side: the transforms write or
 * read them together; each GEMM takes every 36th row. */
size_t sop_wino_work_floats(const sop_geom *g)
{
    wino w = wino_of(g);
    return (size_t)(WX * (int64_t)g->cout * g->cin + WX * (int64_t)(g->cin + g->cout) * w.ld +
                    w.rows + (int64_t)WT * w.pw);
}

typedef struct bufs {
    float *u, *v, *m, *ph;
} bufs;

static bufs bufs_of(const sop_geom *g, const wino *w, float *work)
{
    bufs b;
    b.u = work;
    b.v = b.u + (int64_t)WX * g->cout * g->cin;
    b.m = b.v + (int64_t)WX * g->cin * w->ld;
    b.ph = b.m + (int64_t)WX * g->cout * w->ld;
    return b;
}

/* The 4x4 transpose: r[j] = (v[0][j], v[1][j], v[2][j], v[3][j]). Splits four tiles' columns
 * into their four phases, and joins four phases back into four tiles' columns. */
static inline void transpose4(const vf v[4], vf r[4])
{
    vf ab0 = __builtin_shufflevector(v[0], v[1], 0, 4, 1, 5), ab1 = __builtin_shufflevector(v[0], v[1], 2, 6, 3, 7);
    vf cd0 = __builtin_shufflevector(v[2], v[3], 0, 4, 1, 5), cd1 = __builtin_shufflevector(v[2], v[3], 2, 6, 3, 7);
    r[0] = __builtin_shufflevector(ab0, cd0, 0, 1, 4, 5);
    r[1] = __builtin_shufflevector(ab0, cd0, 2, 3, 6, 7);
    r[2] = __builtin_shufflevector(ab1, cd1, 0, 1, 4, 5);
    r[3] = __builtin_shufflevector(ab1, cd1, 2, 3, 6, 7);
}

/* ph[r][j][i] = plane[r - pad][4 i + j - pad], zero outside the plane, for rows r in
 * [0, rows) and positions i in [0, pw) (the transforms read up to twv < pw). row: scratch of
 * 4 pw floats. */
static void split_phases(const float *plane, int h, int wd, int pad, int rows, int pw, float *row,
                         float *ph)
{
    int groups = pw / VL, span = WT * pw;
    for (int r = 0; r < rows; r++) {
        float *dst = ph + (int64_t)r * WT * pw;
        int y = r - pad;
        if (y < 0 || y >= h) {
            for (int j = 0; j < WT; j++)
                memset(dst + (int64_t)j * pw, 0, (size_t)VL * groups * sizeof *dst);
            continue;
        }
        memset(row, 0, (size_t)pad * sizeof *row);
        memcpy(row + pad, plane + (int64_t)y * wd, (size_t)wd * sizeof *row);
        memset(row + pad + wd, 0, (size_t)(span - pad - wd) * sizeof *row);
        for (int gi = 0; gi < groups; gi++) {
            const float *src = row + WT * VL * gi;
            vf v[4] = {vload(src), vload(src + 4), vload(src + 8), vload(src + 12)}, p[4];
            transpose4(v, p);
            for (int j = 0; j < WT; j++)
                vstore(dst + (int64_t)j * pw + VL * gi, p[j]);
        }
    }
}

/* ---- input and kernel transforms ----------------------------------------------------------- */

/* V[xi][c][t0 + tile] for every tile of one image's channel plane. Stores run up to VL - 1
 * tiles past a tile row; the next row (or image, or the padding after the block) overwrites
 * them, because callers go through a channel's images in order. */
static void input_tiles(const sop_geom *g, const wino *w, const float *plane, float *ph,
                        float *vc, int64_t t0)
{
    split_phases(plane, g->h, g->w, 1, WT * w->th + 2, w->pw, ph + w->rows, ph);
    int64_t rs = (int64_t)WT * w->pw; /* one input row of phases */
    int64_t xs = w->ld;
    for (int ty = 0; ty < w->th; ty++) {
        const float *rows = ph + (int64_t)WT * ty * rs;
        for (int i = 0; i < w->twv; i += VL) {
            vf t[WA][WA]; /* t[k][l] = (B^T d)[k][l] */
            for (int l = 0; l < WA; l++) {
                vf d[WA], r[WA];
                int64_t at = (int64_t)(l % WT) * w->pw + i + l / WT;
                for (int y = 0; y < WA; y++)
                    d[y] = vload(rows + y * rs + at);
                bt6(d, r);
                for (int k = 0; k < WA; k++)
                    t[k][l] = r[k];
            }
            float *dst = vc + t0 + (int64_t)ty * w->tw + i;
            for (int k = 0; k < WA; k++) {
                vf r[WA];
                bt6(t[k], r);
                for (int l = 0; l < WA; l++)
                    vstore(dst + (k * WA + l) * xs, r[l]);
            }
        }
    }
}

static void input_block(const sop_geom *g, const wino *w, const float *x, int b0, int nb,
                        const bufs *b)
{
    int64_t pix = (int64_t)g->h * g->w;
    for (int c = 0; c < g->cin; c++)
        for (int n = 0; n < nb; n++)
            input_tiles(g, w, x + ((int64_t)(b0 + n) * g->cin + c) * pix, b->ph,
                        b->v + (int64_t)c * WX * w->ld, n * w->tiles);
}

/* U[xi][co][ci] = (G g G^T)[xi] */
static void kernel_transform(const sop_geom *g, const float *wt, float *u)
{
    int64_t xs = (int64_t)g->cout * g->cin;
    for (int co = 0; co < g->cout; co++)
        for (int ci = 0; ci < g->cin; ci++) {
            const float *k = wt + ((int64_t)co * g->cin + ci) * 9;
            float gk[WA][3];
            for (int a = 0; a < WA; a++)
                for (int j = 0; j < 3; j++)
                    gk[a][j] = G[a][0] * k[j] + G[a][1] * k[3 + j] + G[a][2] * k[6 + j];
            for (int a = 0; a < WA; a++)
                for (int e = 0; e < WA; e++)
                    u[(a * WA + e) * xs + (int64_t)co * g->cin + ci] =
                        gk[a][0] * G[e][0] + gk[a][1] * G[e][1] + gk[a][2] * G[e][2];
        }
}

/* ---- forward ------------------------------------------------------------------------------- */

/* One image's output channel from M[xi][co][t0 + tile]: Y = A^T M A, written or added. */
static void output_tiles(const sop_geom *g, const wino *w, const float *mc, int64_t t0,
                         float *plane, bool acc)
{
    int64_t xs = w->ld;
    for (int ty = 0; ty < w->th; ty++)
        for (int i = 0; i < w->twv && i < w->tw; i += VL) {
            const float *src = mc + t0 + (int64_t)ty * w->tw + i;
            vf s[WT][WA]; /* s[a][l] = (A^T M)[a][l] */
            for (int l = 0; l < WA; l++) {
                vf m[WA], r[WT];
                for (int k = 0; k < WA; k++)
                    m[k] = vload(src + (k * WA + l) * xs);
                at6(m, r);
                for (int a = 0; a < WT; a++)
                    s[a][l] = r[a];
            }
            int x0 = WT * i, xn = g->ow - x0 < WT * VL ? g->ow - x0 : WT * VL;
            for (int a = 0; a < WT && WT * ty + a < g->oh; a++) {
                vf y[WT], t[WT];
                at6(s[a], y);
                transpose4(y, t); /* t[q]: the four outputs of tile i + q */
                float *dst = plane + (int64_t)(WT * ty + a) * g->ow + x0;
                if (xn == WT * VL) { /* four whole tiles: straight to the plane */
                    for (int q = 0; q < VL; q++)
                        vstore(dst + WT * q, acc ? vload(dst + WT * q) + t[q] : t[q]);
                    continue;
                }
                float row[WT * VL];
                for (int q = 0; q < VL; q++)
                    vstore(row + WT * q, t[q]);
                for (int x = 0; x < xn; x++)
                    dst[x] = acc ? dst[x] + row[x] : row[x];
            }
        }
}

void sop_wino_fwd(const cb_host *h, const sop_geom *g, const float *x, const float *wt, float *y,
                  bool accumulate, float *work)
{
    wino w = wino_of(g);
    bufs b = bufs_of(g, &w, work);
    kernel_transform(g, wt, b.u);
    int64_t pix = (int64_t)g->oh * g->ow;
    for (int b0 = 0; b0 < g->n; b0 += w.nb) {
        int nb = g->n - b0 < w.nb ? g->n - b0 : w.nb;
        int64_t tiles = nb * w.tiles;
        input_block(g, &w, x, b0, nb, &b);
        for (int xi = 0; xi < WX; xi++)
            h->sgemm(false, false, g->cout, (int)tiles, g->cin, 1.0f,
                     b.u + (int64_t)xi * g->cout * g->cin, g->cin,
                     b.v + xi * w.ld, (int)(WX * w.ld), 0.0f, b.m + xi * w.ld, (int)(WX * w.ld));
        for (int co = 0; co < g->cout; co++)
            for (int n = 0; n < nb; n++)
                output_tiles(g, &w, b.m + (int64_t)co * WX * w.ld, n * w.tiles,
                             y + ((int64_t)(b0 + n) * g->cout + co) * pix, accumulate);
    }
}

/* ---- weight gradient ----------------------------------------------------------------------- */

/* M[xi][co][t0 + tile] = (A dY A^T)[xi] for one image's output-gradient channel (zero where
 * the tile runs past the map: those outputs do not exist). */
static void grad_tiles(const sop_geom *g, const wino *w, const float *plane, float *ph, float *mc,
                       int64_t t0)
{
    split_phases(plane, g->oh, g->ow, 0, WT * w->th, w->pw, ph + w->rows, ph);
    int64_t rs = (int64_t)WT * w->pw;
    int64_t xs = w->ld;
    for (int ty = 0; ty < w->th; ty++) {
        const float *rows = ph + (int64_t)WT * ty * rs;
        for (int i = 0; i < w->twv; i += VL) {
            vf q[WA][WT]; /* q[k][e] = (A dY)[k][e] */
            for (int e = 0; e < WT; e++) {
                vf d[WT], r[WA];
                for (int a = 0; a < WT; a++)
                    d[a] = vload(rows + a * rs + (int64_t)e * w->pw + i);
                a4(d, r);
                for (int k = 0; k < WA; k++)
                    q[k][e] = r[k];
            }
            float *dst = mc + t0 + (int64_t)ty * w->tw + i;
            for (int k = 0; k < WA; k++) {
                vf r[WA];
                a4(q[k], r);
                for (int l = 0; l < WA; l++)
                    vstore(dst + (k * WA + l) * xs, r[l]);
            }
        }
    }
}

/* dw[co][ci] += G^T dU[co][ci] G */
static void kernel_grad(const sop_geom *g, const float *du, float *dw)
{
    int64_t xs = (int64_t)g->cout * g->cin;
    for (int co = 0; co < g->cout; co++)
        for (int ci = 0; ci < g->cin; ci++) {
            int64_t at = (int64_t)co * g->cin + ci;
            float gu[3][WA]; /* G^T dU */
            for (int j = 0; j < 3; j++)
                for (int e = 0; e < WA; e++) {
                    float s = 0;
                    for (int a = 0; a < WA; a++)
                        s += G[a][j] * du[(a * WA + e) * xs + at];
                    gu[j][e] = s;
                }
            float *k = dw + at * 9;
            for (int j = 0; j < 3; j++)
                for (int l = 0; l < 3; l++) {
                    float s = 0;
                    for (int e = 0; e < WA; e++)
                        s += gu[j][e] * G[e][l];
                    k[3 * j + l] += s;
                }
        }
}

void sop_wino_bwd_weight(const cb_host *h, const sop_geom *g, const float *x, const float *dy,
                         float *dw, float *work)
{
    wino w = wino_of(g);
    bufs b = bufs_of(g, &w, work);
    memset(b.u, 0, (size_t)WX * g->cout * g->cin * sizeof *b.u);
    int64_t pix = (int64_t)g->oh * g->ow;
    for (int b0 = 0; b0 < g->n; b0 += w.nb) {
        int nb = g->n - b0 < w.nb ? g->n - b0 : w.nb;
        int64_t tiles = nb * w.tiles;
        input_block(g, &w, x, b0, nb, &b);
        for (int co = 0; co < g->cout; co++)
            for (int n = 0; n < nb; n++)
                grad_tiles(g, &w, dy + ((int64_t)(b0 + n) * g->cout + co) * pix, b.ph,
                           b.m + (int64_t)co * WX * w.ld, n * w.tiles);
        for (int xi = 0; xi < WX; xi++)
            h->sgemm(false, true, g->cout, g->cin, (int)tiles, 1.0f,
                     b.m + xi * w.ld, (int)(WX * w.ld), b.v + xi * w.ld, (int)(WX * w.ld), 1.0f,
                     b.u + (int64_t)xi * g->cout * g->cin, g->cin);
    }
    kernel_grad(g, b.u, dw);
}
