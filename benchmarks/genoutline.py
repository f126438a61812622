"""Generate a synthetic outline of about N slides (a chart every 10 slides) for the benchmark."""
from __future__ import annotations

import sys


def outline_text(slides: int) -> str:
    """YAML text of an outline whose deck has about `slides` slides: one slide per section (four points; every tenth
    section's slide shows its chart beside the points), an agenda slide per 8 sections, title, key figures, closing."""
    sections = max(slides - 3 - -(-(slides - 3) // 9), 1)  # sections + ceil(sections / 8) agenda slides = slides - 3
    charts = max(slides // 10, 0)
    out = [
        "meta:",
        "  title: Synthetic benchmark briefing",
        "  series: Benchmark Bulletin",
        "  date: 2024-04-19",
        "  authors: [Anna Kowalska]",
        "  language: en",
        "lead: A generated outline to measure how build time grows with the number of slides.",
        "key_figures:",
        "  - {id: k1, value: $800 bn, label: FDI stock}",
        "  - {id: k2, value: ~1 million, label: jobs}",
        "sections:",
    ]
    for i in range(sections):
        out += [
            f"  - id: s{i}",
            f"    title: Section {i + 1} on cooperation, spending and trade",
            "    points:",
        ]
        for j in range(4):
            out.append(f"      - text: Point {j + 1} of section {i + 1} with **bold** words and a few more words to wrap")
            out.append(f"        detail: Detail {j + 1} for the brief and the speaker notes of section {i + 1}.")
        if i * charts // sections != (i + 1) * charts // sections:
            out.append(f"    charts: [c{(i + 1) * charts // sections - 1}]")
    out.append("charts:")
    for c in range(charts):
        vals = ", ".join(f"{1 + ((c + k) % 7) / 10:.1f}" for k in range(6))
        out += [
            f"  - id: c{c}",
            "    kind: line" if c % 2 == 0 else "    kind: column",
            f"    title: Chart {c + 1}, % of GDP",
            "    unit: '% of GDP'",
            "    categories: [2022, 2023, 2024, 2025, 2026, 2027]",
            f"    series: [{{name: Spending, values: [{vals}]}}]",
            "    source: Generated data",
        ]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.stdout.write(outline_text(int(sys.argv[1]) if len(sys.argv) > 1 else 100))
