"""The report's charts (matplotlib, optional): contiguous copies by size, the headline
cases per instruction-set level, ndview over NumPy for every case NumPy runs.
bench/report.py calls charts(); without matplotlib it returns no files."""
import os
import sys

HEADS = ["tobytes_step2_i32/262144", "tobytes_step2_i32/33554432", "tobytes_transpose_f32/4096",
         "tobytes_transpose_f64/2048", "tobytes_transpose_u8/8192", "tobytes_transpose_u16/4096",
         "permute_4d_02_f32/64", "permute_3d_201_f32/256", "batched_transpose_f32/512",
         "tobytes_u8_2of3/16777216", "unpack_i32_i64/32768", "unpack_f16_f64/8388608",
         "convert_f32_f16/262144", "hex/16777216", "equal_i32/16777216"]


def gbps(row):
    return row["bytes_per_second"] / 1e9 if row and row["bytes_per_second"] else 0


def contiguous(ax, rows, peers):
    sizes = [64, 4096, 262144, 4194304, 67108864, 268435456]
    for name, label in [("memcpy", "memcpy"), ("tobytes_contig", "ndv_tobytes (contiguous)")]:
        xs = [s for s in sizes if "%s/%d" % (name, s) in rows]
        ax.plot(xs, [gbps(rows["%s/%d" % (name, s)]) for s in xs], marker="o", label=label)
    xs = [s for s in sizes if "numpy" in peers.get("tobytes_contig/%d" % s, {})]
    ax.plot(xs, [gbps(peers["tobytes_contig/%d" % s]["numpy"]) for s in xs], marker="s",
            label="np.copyto")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("bytes")
    ax.set_ylabel("GB/s")
    ax.set_title("Contiguous copy")
    ax.legend()


def per_level(ax, rows, levels):
    levels = [lv for lv in levels if any(k.split("/")[0].endswith("@" + lv) for k in rows)]
    width = 0.8 / max(len(levels), 1)
    for i, lv in enumerate(levels):
        vals = [gbps(rows.get("%s@%s/%s" % (h.split("/")[0], lv, h.split("/")[1])))
                for h in HEADS]
        ax.bar([j + i * width for j in range(len(HEADS))], vals, width, label=lv)
    ax.set_xticks([j + 0.4 - width / 2 for j in range(len(HEADS))])
    ax.set_xticklabels([h.replace("tobytes_", "") for h in HEADS], rotation=30, ha="right",
                       fontsize=8)
    ax.set_ylabel("GB/s")
    ax.set_title("Headline cases per instruction-set level")
    ax.legend(fontsize=8)


def vs_numpy(ax, names, ratios):
    ax.barh(names, ratios, color=["tab:green" if r >= 1 else "tab:red" for r in ratios])
    ax.axvline(1.0, color="black", linewidth=0.8)
    ax.set_xscale("log")
    ax.set_xlabel("ndview / NumPy (throughput ratio, log scale)")
    ax.tick_params(axis="y", labelsize=7)


def charts(rows, peers, out, levels):
    """Writes the charts as PNG files under out; returns their names."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("# matplotlib missing: no charts", file=sys.stderr)
        return []
    names = [c for c in sorted(peers)
             if "numpy" in peers[c] and c in rows and rows[c]["bytes_per_second"]]
    ratios = [gbps(rows[c]) / gbps(peers[c]["numpy"]) for c in names]
    plots = [("contiguous.png", (7, 4), lambda ax: contiguous(ax, rows, peers)),
             ("per_isa.png", (10, 4.5), lambda ax: per_level(ax, rows, levels)),
             ("vs_numpy.png", (8, 0.3 * len(names) + 1), lambda ax: vs_numpy(ax, names, ratios))]
    for name, size, draw in plots:
        fig, ax = plt.subplots(figsize=size)
        draw(ax)
        fig.tight_layout()
        fig.savefig(os.path.join(out, name), dpi=90)
        plt.close(fig)
    return [name for name, _, _ in plots]
