"""Native, editable PowerPoint charts from the plan's ChartPlan: data, series styles, labels, axes, target lines."""
from __future__ import annotations

import copy

from pptx.chart.data import CategoryChartData
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_LABEL_POSITION,
    XL_TICK_MARK,
)
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Pt

from ...layout.slides import (
    BulletsChartSlide,
    ChartPlan,
    ChartSlide,
    DeckPlan,
)
from ...theme import Theme
from .shapes import EMU_PER_PT, emu, put_runs, rgb, set_insets

GRID = "D9D9D9"


AXIS = "A6A6A6"


CHART_TEXT = 14.0  # pt: axis labels, data labels, legend


def label_last_point(ser, ps, theme: Theme) -> None:
    """Name a reference line at its right end (the brief labels it on the line too), as an editable data label."""
    last = max((i for i, v in enumerate(ps.values) if v is not None), default=None)
    if last is None:
        return
    label = ser.points[last].data_label
    label.has_text_frame = True
    label.text_frame.text = ps.name
    label.position = XL_LABEL_POSITION.ABOVE
    run = label.text_frame.paragraphs[0].runs[0]
    run.font.size = Pt(CHART_TEXT)
    run.font.color.rgb = rgb(theme.accent)


def chart_type(cp: ChartPlan):
    if cp.kind == "line":
        return XL_CHART_TYPE.LINE_MARKERS
    if cp.kind == "bar":
        return XL_CHART_TYPE.BAR_STACKED if cp.stacked else XL_CHART_TYPE.BAR_CLUSTERED
    return XL_CHART_TYPE.COLUMN_STACKED if cp.stacked else XL_CHART_TYPE.COLUMN_CLUSTERED


def draw_chart(slide, s: ChartSlide | BulletsChartSlide, plan: DeckPlan, theme: Theme) -> None:
    cp = s.chart
    assert cp is not None
    g = plan.geometry
    data = CategoryChartData(number_format=cp.number_format)
    data.categories = list(cp.categories)
    for ps in cp.series:
        data.add_series(ps.name, list(ps.values))
    frame = getattr(s, "chart_frame", None) or g.chart
    gf = slide.shapes.add_chart(chart_type(cp), emu(frame.x), emu(frame.y), emu(frame.w), emu(frame.h), data)
    gf.name = "Chart"
    gf._element.nvGraphicFramePr.cNvPr.set("descr", cp.alt)
    chart = gf.chart
    style_chart(chart, cp, theme)
    if cp.kind != "line" and any(ps.role == "target" for ps in cp.series):
        target_as_line(chart, cp, theme)
    if plan.look is not None and plan.look.chart_plate:  # the chart area filled over a busy ground
        space = chart._chartSpace
        sp = parse_xml(f'<c:spPr {nsdecls("c", "a")}><a:solidFill><a:srgbClr val="{plan.look.chart_plate}"/></a:solidFill></c:spPr>')
        space.find(qn("c:chart")).addnext(sp)
    positive_axis_ids(chart._chartSpace)

    if s.source:
        sf = getattr(s, "source_frame", None) or g.source
        box = slide.shapes.add_textbox(emu(sf.x), emu(sf.y), emu(sf.w), emu(sf.h))
        box.name = "Source"
        tf = box.text_frame
        tf.word_wrap = True
        face = plan.look.body_font if plan.look is not None else None  # a user's template: the font measured with
        if plan.look is not None:  # and the insets measured with
            set_insets(tf, plan.geometry.style.inset)
        put_runs(tf.paragraphs[0], s.source, plan.info.language, s.source_size, theme.muted, face)


def style_chart(chart, cp: ChartPlan, theme: Theme) -> None:
    chart.has_title = bool(cp.title)
    if cp.title:
        tf = chart.chart_title.text_frame
        tf.text = cp.title
        font = tf.paragraphs[0].runs[0].font
        font.size, font.bold = Pt(CHART_TEXT + 2), True
        font.color.rgb = rgb(theme.primary)
    chart.font.size = Pt(CHART_TEXT)
    chart.font.name = theme.deck_font_name
    chart.font.color.rgb = rgb(theme.text)
    plot = chart.plots[0]

    for ps, ser in zip(cp.series, plot.series):
        if cp.kind == "line":
            ser.smooth = False
            line = ser.format.line
            line.color.rgb = rgb(ps.colour)
            line.width = Pt(2.0 if ps.role == "target" else 2.75)
            if ps.dashed:
                line.dash_style = MSO_LINE_DASH_STYLE.DASH
            if ps.role == "target":
                ser.marker.style = XL_MARKER_STYLE.NONE
                label_last_point(ser, ps, theme)
            else:
                ser.marker.style = XL_MARKER_STYLE.CIRCLE
                ser.marker.size = 8
                ser.marker.format.fill.solid()
                ser.marker.format.fill.fore_color.rgb = rgb("FFFFFF" if ps.role == "plan" else ps.colour)
                ser.marker.format.line.color.rgb = rgb(ps.colour)
                ser.marker.format.line.width = Pt(1.5)
            if ps.role == "plan":  # the shared boundary point keeps the actual series' marker
                first = next((i for i, v in enumerate(ps.values) if v is not None), None)
                if first is not None:
                    ser.points[first].marker.style = XL_MARKER_STYLE.NONE
        elif ps.role == "target":
            continue  # becomes a line over the columns (target_as_line)
        else:
            ser.invert_if_negative = False
            ser.format.fill.solid()
            ser.format.fill.fore_color.rgb = rgb(ps.colour)
            ser.format.line.fill.background()

    if cp.kind != "line":
        plot.gap_width = 60
        if cp.stacked:
            plot.overlap = 100
    if cp.data_labels:
        for ps, ser in zip(cp.series, plot.series):
            if ps.role == "target":
                continue
            labels = ser.data_labels
            labels.number_format = cp.number_format
            labels.number_format_is_linked = False
            labels.show_value = True
            labels.font.size = Pt(CHART_TEXT)
            if cp.stacked:
                labels.position = XL_LABEL_POSITION.CENTER
                labels.font.color.rgb = rgb(ps.colour.ink_on(theme.text))
                hide_zero_labels(ser, ps.values)
            else:
                labels.position = XL_LABEL_POSITION.OUTSIDE_END
                labels.font.color.rgb = rgb(theme.text)

    chart.has_legend = cp.legend
    if cp.legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(CHART_TEXT)

    va = chart.value_axis
    va.has_major_gridlines = True
    va.major_gridlines.format.line.color.rgb = rgb(GRID)
    va.major_gridlines.format.line.width = Pt(0.75)
    va.format.line.fill.background()
    va.major_tick_mark = XL_TICK_MARK.NONE
    va.minor_tick_mark = XL_TICK_MARK.NONE
    va.tick_labels.number_format = cp.axis_format
    va.tick_labels.number_format_is_linked = False
    va.tick_labels.font.size = Pt(CHART_TEXT)
    va.tick_labels.font.color.rgb = rgb(theme.muted)
    if cp.unit:
        va.has_title = True
        tf = va.axis_title.text_frame
        tf.text = cp.unit
        font = tf.paragraphs[0].runs[0].font
        font.size, font.bold = Pt(CHART_TEXT), False
        font.color.rgb = rgb(theme.muted)

    ca = chart.category_axis
    ca.has_major_gridlines = False
    ca.major_tick_mark = XL_TICK_MARK.NONE
    ca.minor_tick_mark = XL_TICK_MARK.NONE
    ca.format.line.color.rgb = rgb(AXIS)
    ca.tick_labels.font.size = Pt(CHART_TEXT)
    ca.tick_label_position = XL_TICK_LABEL_POSITION.LOW  # below the plot even when values go negative
    if cp.first_category_on_top:
        ca.reverse_order = True
        # with categories top-down the value axis belongs at the bottom: it crosses at the last category
        val_ax = chart._chartSpace.find(f".//{qn('c:valAx')}")
        crosses = val_ax.find(qn("c:crosses"))
        if crosses is not None:
            crosses.set("val", "max")


def target_as_line(chart, cp: ChartPlan, theme: Theme) -> None:
    """Move the target series out of the column group into a line group on the same axes: an editable dashed line."""
    plot_area = chart._chartSpace.find(f".//{qn('c:plotArea')}")
    bar = plot_area.find(qn("c:barChart"))
    sers = bar.findall(qn("c:ser"))
    line = parse_xml(f'<c:lineChart {nsdecls("c")}><c:grouping val="standard"/><c:varyColors val="0"/></c:lineChart>')
    for ps, ser in zip(cp.series, sers):
        if ps.role != "target":
            continue
        bar.remove(ser)
        for tag in ("c:invertIfNegative", "c:pictureOptions", "c:dLbls", "c:shape", "c:spPr", "c:dPt"):
            for el in ser.findall(qn(tag)):
                ser.remove(el)
        tx = ser.find(qn("c:tx"))
        sp = parse_xml(
            f'<c:spPr {nsdecls("c", "a")}><a:ln w="{int(2.0 * EMU_PER_PT)}" cap="rnd"><a:solidFill><a:srgbClr val="{ps.colour}"/></a:solidFill>'
            f'<a:prstDash val="dash"/><a:round/></a:ln></c:spPr>'
        )
        tx.addnext(sp)
        sp.addnext(parse_xml(f'<c:marker {nsdecls("c")}><c:symbol val="none"/></c:marker>'))
        ser.find(qn("c:val")).addnext(parse_xml(f'<c:smooth {nsdecls("c")} val="0"/>'))
        line.append(ser)
    line.append(parse_xml(f'<c:marker {nsdecls("c")} val="1"/>'))
    for ax in bar.findall(qn("c:axId")):
        line.append(copy.deepcopy(ax))
    bar.addnext(line)


def hide_zero_labels(ser, values) -> None:
    """In a stacked chart a zero segment has no height: drop its '0' label (the value stays in the data)."""
    dLbls = ser._element.find(qn("c:dLbls"))
    if dLbls is None:
        return
    for i in reversed([i for i, v in enumerate(values) if v == 0]):
        dLbls.insert(0, parse_xml(
            f'<c:dLbl {nsdecls("c")}><c:idx val="{i}"/><c:delete val="1"/></c:dLbl>'
        ))


def positive_axis_ids(chart_space) -> None:
    """python-pptx writes negative axis ids, which the schema (unsignedInt) rejects: renumber them 1, 2, …"""
    mapping: dict[str, str] = {}
    for el in chart_space.iter(qn("c:axId"), qn("c:crossAx")):
        old = el.get("val")
        mapping.setdefault(old, str(len(mapping) + 1))
        el.set("val", mapping[old])
