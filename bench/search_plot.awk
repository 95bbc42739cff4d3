# bench/search_plot.awk: draws the mean regret curves that bench_search_nb201 --csv FILE
# appended (one line per method: label, trials, then the mean regret after each query) as one
# SVG line chart, a line per method, with a legend naming each method and its trials:
#   awk -F, -f bench/search_plot.awk [-v title=TEXT] FILE > curves.svg
# The y axis spans the regrets from query 10 on (the first few queries of every method are
# random draws whose regret is large and says little); earlier parts are clipped at the top.
# The last line of a label wins when it repeats. (An awk script, not a bench/*.sh: bench/run.sh
# runs those as benchmarks.)
BEGIN { if (title == "") title = "Search on NAS-Bench-201 (CIFAR-10): mean regret" }

function esc(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); return s }
{
    if (!($1 in row)) order[n++] = $1
    row[$1] = $0
}
END {
    if (n == 0) { print "search_plot.sh: no curves" > "/dev/stderr"; exit 1 }
    W = 820; H = 460; L = 60; R = 260; T = 40; B = 50
    ymax = 0; qmax = 0
    for (i = 0; i < n; i++) {
        m = split(row[order[i]], f, ",")
        if (m - 2 > qmax) qmax = m - 2
        for (k = 12; k <= m; k++) if (f[k] + 0 > ymax) ymax = f[k] + 0
    }
    ystep = ymax > 2 ? 0.5 : ymax > 1 ? 0.25 : 0.1
    ymax = ystep * int(ymax / ystep + 0.999)
    if (ymax <= 0) ymax = 1
    pw = W - L - R; ph = H - T - B
    printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">\n", W, H
    printf "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
    printf "<clipPath id=\"plot\"><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/></clipPath>\n", L, T, pw, ph
    printf "<text x=\"%d\" y=\"22\" font-size=\"14\">%s</text>\n", L, esc(title)
    for (y = 0; y <= ymax + 1e-9; y += ystep) {
        py = T + ph - y / ymax * ph
        printf "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", L, L + pw, py, py
        printf "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.2f</text>\n", L - 6, py + 4, y
    }
    xstep = qmax > 100 ? 25 : 10
    for (q = 0; q <= qmax; q += xstep) {
        px = L + q / qmax * pw
        printf "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>\n", px, px, T, T + ph
        printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>\n", px, T + ph + 16, q
    }
    printf "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>\n", L, T, pw, ph
    printf "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">queries</text>\n", L + pw / 2, H - 12
    printf "<text transform=\"translate(16 %d) rotate(-90)\" text-anchor=\"middle\">mean regret (points of test accuracy)</text>\n", T + ph / 2
    split("#1f77b4 #ff7f0e #2ca02c #d62728 #9467bd #8c564b #e377c2 #7f7f7f #bcbd22 #17becf", color, " ")
    for (i = 0; i < n; i++) {
        m = split(row[order[i]], f, ",")
        c = color[i % 10 + 1]
        printf "<polyline clip-path=\"url(#plot)\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\" points=\"", c
        for (k = 3; k <= m; k++)
            printf "%.1f,%.1f ", L + (k - 2) / qmax * pw, T + ph - f[k] / ymax * ph
        printf "\"/>\n"
        ly = T + 10 + 18 * i
        printf "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>\n", L + pw + 12, L + pw + 32, ly, ly, c
        printf "<text x=\"%d\" y=\"%d\">%s (%d)</text>\n", L + pw + 38, ly + 4, esc(f[1]), f[2]
    }
    print "</svg>"
}
