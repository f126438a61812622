"""Native, editable PowerPoint charts from the plan's ChartPlan: data, series styles, labels, axes, target lines."""
from __future__ import annotations

import copy
from xml.sax.saxutils import escape

from pptx.chart.data import CategoryChartData, XyChartData
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
    PlotSeries,
)
from ...theme import Theme
from .shapes import EMU_PER_PT, emu, put_runs, rgb, set_insets

GRID = "D9D9D9"


AXIS = "A6A6A6"


CHART_TEXT = 14.0  # pt: axis labels, data labels, legend


def label_last_point(ser, ps, theme: Theme) -> None:
    """Name a reference line at its right end (the brief labels it on the line too), as an editable data label."""
    last = max((i for i, v in enumerate(ps.values) if v is not None), default=None)
    if last is not None:
        _name_point(ser, last, ps.name, theme)


def _name_point(ser, index: int, text: str, theme: Theme) -> None:
    """An editable data label above one point, in the accent colour: a reference line's name."""
    label = ser.points[index].data_label
    label.has_text_frame = True
    label.text_frame.text = text
    label.text_frame.word_wrap = False  # one line, as the brief names it (LibreOffice wraps a long name otherwise)
    label.position = XL_LABEL_POSITION.ABOVE
    run = label.text_frame.paragraphs[0].runs[0]
    run.font.size = Pt(CHART_TEXT)
    run.font.color.rgb = rgb(theme.accent)


def chart_type(cp: ChartPlan):
    if cp.kind == "line":
        return XL_CHART_TYPE.LINE_MARKERS
    if cp.kind == "area":
        return XL_CHART_TYPE.AREA_STACKED if cp.stacked else XL_CHART_TYPE.AREA
    if cp.kind == "scatter":
        return XL_CHART_TYPE.XY_SCATTER
    if cp.kind == "bar":
        return XL_CHART_TYPE.BAR_STACKED if cp.stacked else XL_CHART_TYPE.BAR_CLUSTERED
    return XL_CHART_TYPE.COLUMN_STACKED if cp.stacked else XL_CHART_TYPE.COLUMN_CLUSTERED


def draw_chart(slide, s: ChartSlide | BulletsChartSlide, plan: DeckPlan, theme: Theme) -> None:
    cp = s.chart
    assert cp is not None
    g = plan.geometry
    data = chart_data(cp)
    frame = getattr(s, "chart_frame", None) or g.chart
    gf = slide.shapes.add_chart(chart_type(cp), emu(frame.x), emu(frame.y), emu(frame.w), emu(frame.h), data)
    gf.name = "Chart"
    gf._element.nvGraphicFramePr.cNvPr.set("descr", cp.alt)
    chart = gf.chart
    style_chart(chart, cp, theme)
    if cp.kind != "line" and any(ps.role == "target" for ps in cp.series):
        target_as_line(chart, cp, theme)
    shared_rules(slide, chart, cp, frame, theme)
    label_gaps(chart, cp, frame)
    if cp.kind == "line" and cp.legend:
        line_legend(chart, cp)
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
            name_target(ser, ps, cp, theme)
            continue  # becomes a line over the columns (target_as_line)
        elif cp.kind == "scatter":
            continue  # styled by scatter_points
        else:
            ser.invert_if_negative = False
            ser.format.fill.solid()
            ser.format.fill.fore_color.rgb = rgb(ps.colour)
            ser.format.line.fill.background()

    if cp.kind in ("column", "bar"):
        plot.gap_width = 60
        if cp.stacked:
            plot.overlap = 100
    if cp.data_labels and cp.kind != "scatter":
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
                if not cp.hidden_labels:  # (the shared rule's hidden labels include the zeros)
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
    va.has_major_gridlines = cp.gridlines  # none when every bar carries its value label: they would repeat them
    if cp.gridlines:
        va.major_gridlines.format.line.color.rgb = rgb(GRID)
        va.major_gridlines.format.line.width = Pt(0.75)
    va.format.line.fill.background()
    va.major_tick_mark = XL_TICK_MARK.NONE
    va.minor_tick_mark = XL_TICK_MARK.NONE
    va.tick_labels.number_format = cp.axis_format
    va.tick_labels.number_format_is_linked = False
    va.tick_labels.font.size = Pt(CHART_TEXT)
    va.tick_labels.font.color.rgb = rgb(theme.muted)
    if cp.axis_title:  # (not when a title on the slide already states the unit)
        va.has_title = True
        tf = va.axis_title.text_frame
        tf.text = cp.axis_title
        font = tf.paragraphs[0].runs[0].font
        font.size, font.bold = Pt(CHART_TEXT), False
        font.color.rgb = rgb(theme.muted)

    ca = chart.category_axis
    ca.has_major_gridlines = False
    ca.major_tick_mark = XL_TICK_MARK.NONE
    ca.minor_tick_mark = XL_TICK_MARK.NONE
    ca.format.line.color.rgb = rgb(AXIS)
    ca.tick_labels.font.size = Pt(cp.category_size or CHART_TEXT)
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
    if bar is None:  # an area chart's target
        bar = plot_area.find(qn("c:areaChart"))
    sers = bar.findall(qn("c:ser"))
    line = parse_xml(f'<c:lineChart {nsdecls("c")}><c:grouping val="standard"/><c:varyColors val="0"/></c:lineChart>')
    for ps, ser in zip(cp.series, sers):
        if ps.role != "target":
            continue
        bar.remove(ser)
        for tag in ("c:invertIfNegative", "c:pictureOptions", "c:shape", "c:spPr", "c:dPt"):  # (its name label stays)
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
        hide_from_legend(chart, [int(ser.find(qn("c:idx")).get("val"))])  # named on the line, as in the brief
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


# ---------------------------------------------------------------- issue 14: rules shared with the brief, new kinds

BAND_ALPHA = 15000  # a dark template's plan band: 15 % black over the ground (1/1000 %)


def name_target(ser, ps, cp: ChartPlan, theme: Theme) -> None:
    """Name a column or area chart's target on its line, above it at the last category — or the first, or the lowest,
    where the columns (and their labels) reach the line there."""
    data = [p.values for p in cp.series if p.role == "data"]
    n = len(cp.categories)
    if not n or cp.axis is None:
        return
    tops = [sum(v[j] or 0.0 for v in data) if cp.stacked else max((v[j] or 0.0) for v in data) for j in range(n)]
    t, span = ps.values[0], (cp.axis[1] - cp.axis[0]) or 1.0
    free = [j for j in (n - 1, 0) if tops[j] < t - 0.02 * span]
    at = free[0] if free else min(range(n), key=lambda j: (tops[j], -j))
    _name_point(ser, at, ps.name, theme)


def chart_data(cp: ChartPlan):
    """The chart's workbook data: categories and series, or (scatter) x/y points and the target's two ends."""
    if cp.kind == "scatter":
        data = XyChartData(number_format=cp.number_format)
        ser = data.add_series(cp.series[0].name)
        for _, x, y in cp.points:
            ser.add_data_point(x, y)
        if cp.target is not None and cp.x_axis is not None:
            line = data.add_series(cp.target[1])
            line.add_data_point(cp.x_axis[0], cp.target[0])
            line.add_data_point(cp.x_axis[1], cp.target[0])
        return data
    data = CategoryChartData(number_format=cp.number_format)
    data.categories = list(cp.categories)
    for ps in cp.series:
        data.add_series(ps.name, list(ps.values))
    if has_totals(cp):  # the stack totals: a line series with labels only, as the brief prints them
        rows = [ps.values for ps in cp.series if ps.role == "data"]
        data.add_series(cp.total_label, [sum(v or 0.0 for v in col) if sum(1 for v in col if v) > 1 else None for col in zip(*rows)])
    if cp.plan_from is not None and cp.axis is not None:  # the plan band: a column series moved behind the lines
        n = len(cp.categories)
        data.add_series(cp.plan_label, [None if j < cp.plan_from else cp.axis[1] for j in range(n)])
    return data


def shared_rules(slide, chart, cp: ChartPlan, frame, theme: Theme) -> None:
    """What the deck draws as the brief does (layout/deckchart.py, chartrules.py): fixed value axis, hidden labels,
    every category label, the plan band, area fills, scatter points, a bar chart's target line."""
    space = chart._chartSpace
    if cp.axis is not None:
        va = chart.value_axis
        va.minimum_scale, va.maximum_scale, va.major_unit = cp.axis
    if cp.kind == "scatter":
        scatter_points(chart, cp, theme)
        return
    cat_ax = space.find(f".//{qn('c:catAx')}")
    if cat_ax is not None and cat_ax.find(qn("c:tickLblSkip")) is None:  # every category label, none skipped
        skip = parse_xml(f'<c:tickLblSkip {nsdecls("c")} val="1"/>')
        after = cat_ax.find(qn("c:lblOffset"))
        if after is not None:
            after.addnext(skip)
        else:
            cat_ax.find(qn("c:noMultiLvlLbl")).addprevious(skip)
    if cp.kind == "area":
        for ps, ser in zip(cp.series, chart.plots[0].series):
            if ps.role == "data":
                ser.format.fill.solid()
                ser.format.fill.fore_color.rgb = rgb(ps.colour)
                ser.format.line.fill.background()
    if cp.label_size and cp.data_labels:
        for ps, ser in zip(cp.series, chart.plots[0].series):
            if ps.role == "data":
                ser.data_labels.font.size = Pt(cp.label_size)
                if cp.labels_turned:  # upright, reading bottom to top
                    body = ser._element.find(f"{qn('c:dLbls')}/{qn('c:txPr')}/{qn('a:bodyPr')}")
                    if body is not None:
                        body.set("rot", "-5400000")
                        body.set("vert", "horz")
    if cp.category_size and cp.data_labels:  # rows stepped down to fit: their value labels step down with them
        for ps, ser in zip(cp.series, chart.plots[0].series):
            if ps.role == "data":
                ser.data_labels.font.size = Pt(cp.category_size)
    if cp.hidden_labels:
        plot = chart.plots[0]
        for hidden, ser in zip(cp.hidden_labels, plot.series):
            delete_labels(ser, hidden)
    if cp.plan_from is not None and cp.axis is not None:
        plan_band(chart, cp, theme)
    if has_totals(cp) and cp.kind == "column":
        totals_as_labels(chart, cp, theme)
    elif has_totals(cp):
        totals_after_bars(chart, cp, theme)
    if cp.target is not None and cp.kind == "bar":
        bar_target(slide, chart, cp, frame, theme)




def has_totals(cp: ChartPlan) -> bool:
    """A labelled stacked column or bar chart of several series shows each stack's total after it (as the brief does)."""
    return cp.kind in ("column", "bar") and cp.stacked and cp.data_labels and sum(1 for ps in cp.series if ps.role == "data") > 1


def totals_as_labels(chart, cp: ChartPlan, theme: Theme) -> None:
    """Move the totals series (the column group's last) into a line group with no line and no marker: only its
    bold value labels show, above each stack; left out of the legend."""
    plot_area = chart._chartSpace.find(f".//{qn('c:plotArea')}")
    bar = plot_area.find(qn("c:barChart"))
    ser = bar.findall(qn("c:ser"))[-1]
    bar.remove(ser)
    for tag in ("c:invertIfNegative", "c:pictureOptions", "c:dLbls", "c:shape", "c:spPr", "c:dPt"):
        for el in ser.findall(qn(tag)):
            ser.remove(el)
    size = int(CHART_TEXT * 100)
    sp = parse_xml(f'<c:spPr {nsdecls("c", "a")}><a:ln><a:noFill/></a:ln></c:spPr>')
    ser.find(qn("c:tx")).addnext(sp)
    sp.addnext(parse_xml(f'<c:marker {nsdecls("c")}><c:symbol val="none"/></c:marker>'))
    ser.find(qn("c:marker")).addnext(parse_xml(
        f'<c:dLbls {nsdecls("c", "a")}><c:numFmt formatCode="{cp.number_format}" sourceLinked="0"/>'
        f'<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr><c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr>'
        f'<a:defRPr sz="{size}" b="1"><a:solidFill><a:srgbClr val="{theme.text}"/></a:solidFill></a:defRPr></a:pPr>'
        f'<a:endParaRPr lang="{cp.language}"/></a:p></c:txPr><c:dLblPos val="t"/><c:showLegendKey val="0"/><c:showVal val="1"/>'
        f'<c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>'))
    ser.find(qn("c:val")).addnext(parse_xml(f'<c:smooth {nsdecls("c")} val="0"/>'))
    line = parse_xml(f'<c:lineChart {nsdecls("c")}><c:grouping val="standard"/><c:varyColors val="0"/></c:lineChart>')
    line.append(ser)
    line.append(parse_xml(f'<c:marker {nsdecls("c")} val="1"/>'))
    for ax in bar.findall(qn("c:axId")):
        line.append(copy.deepcopy(ax))
    last = plot_area.findall(qn("c:lineChart"))
    (last[-1] if last else bar).addnext(line)
    hide_from_legend(chart, [int(ser.find(qn("c:idx")).get("val"))])


def totals_after_bars(chart, cp: ChartPlan, theme: Theme) -> None:
    """A stacked bar chart's totals: one more stacked series as long as the stack, unfilled (and cut off at the fixed
    axis end), whose value label sits at its base — just after the visible stack; left out of the legend."""
    plot = chart.plots[0]
    ser = list(plot.series)[-1]
    ser.format.fill.background()
    ser.format.line.fill.background()
    el = ser._element
    for old in el.findall(qn("c:dLbls")):
        el.remove(old)
    size = int((cp.category_size or CHART_TEXT) * 100)
    dlbls = parse_xml(
        f'<c:dLbls {nsdecls("c", "a")}><c:numFmt formatCode="{cp.number_format}" sourceLinked="0"/>'
        f'<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr><c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr>'
        f'<a:defRPr sz="{size}" b="1"><a:solidFill><a:srgbClr val="{theme.text}"/></a:solidFill></a:defRPr></a:pPr>'
        f'<a:endParaRPr lang="{cp.language}"/></a:p></c:txPr><c:dLblPos val="inBase"/><c:showLegendKey val="0"/><c:showVal val="1"/>'
        f'<c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>')
    anchor = el.find(qn("c:invertIfNegative"))
    if anchor is None:
        anchor = el.find(qn("c:spPr"))
    anchor.addnext(dlbls)
    # a horizontal bar chart's legend lists its series bottom-up, and entries count in that order (LibreOffice
    # imports them as Office writes them): the last series is entry 0
    hide_from_legend(chart, [0])


def delete_labels(ser, indices) -> None:
    """Drop the data labels of these points (the values stay in the data)."""
    dLbls = ser._element.find(qn("c:dLbls"))
    if dLbls is None or not indices:
        return
    for i in sorted(indices, reverse=True):
        dLbls.insert(0, parse_xml(f'<c:dLbl {nsdecls("c")}><c:idx val="{i}"/><c:delete val="1"/></c:dLbl>'))


def hide_from_legend(chart, indices) -> None:
    legend = chart._chartSpace.find(f".//{qn('c:legend')}")
    if legend is None:
        return
    pos = legend.find(qn("c:legendPos"))
    for i in sorted(indices, reverse=True):
        entry = parse_xml(f'<c:legendEntry {nsdecls("c")}><c:idx val="{i}"/><c:delete val="1"/></c:legendEntry>')
        if pos is not None:
            pos.addnext(entry)
        else:
            legend.insert(0, entry)


def plan_band(chart, cp: ChartPlan, theme: Theme) -> None:
    """Move the plan series (the last) out of the line group into a column group drawn first: a shaded band over
    the planned categories, full height, no gaps, headed by an editable 'Plan' label — as the brief's shading."""
    plot_area = chart._chartSpace.find(f".//{qn('c:plotArea')}")
    line = plot_area.find(qn("c:lineChart"))
    ser = line.findall(qn("c:ser"))[-1]
    line.remove(ser)
    for tag in ("c:marker", "c:dLbls", "c:smooth", "c:spPr", "c:dPt"):
        for el in ser.findall(qn(tag)):
            ser.remove(el)
    # a light band under dark text (as before, and as the brief); on a dark template (light text) a translucent
    # black that darkens the ground, so the white labels over it only gain contrast
    dark_ground = theme.text.luminance > 0.5
    colour = (f'<a:srgbClr val="000000"><a:alpha val="{BAND_ALPHA}"/></a:srgbClr>' if dark_ground
              else f'<a:srgbClr val="{theme.muted.mix(0.9)}"/>')
    note = theme.text if dark_ground else theme.muted
    ser.find(qn("c:tx")).addnext(parse_xml(
        f'<c:spPr {nsdecls("c", "a")}><a:solidFill>{colour}</a:solidFill><a:ln><a:noFill/></a:ln></c:spPr>'))
    ser.find(qn("c:spPr")).addnext(parse_xml(f'<c:invertIfNegative {nsdecls("c")} val="0"/>'))
    size = int(CHART_TEXT * 100)
    ser.find(qn("c:invertIfNegative")).addnext(parse_xml(
        f'<c:dLbls {nsdecls("c", "a")}><c:dLbl><c:idx val="{cp.plan_from}"/><c:tx><c:rich><a:bodyPr/><a:lstStyle/>'
        f'<a:p><a:r><a:rPr lang="{cp.language}" sz="{size}" i="1"><a:solidFill><a:srgbClr val="{note}"/></a:solidFill></a:rPr>'
        f'<a:t>{escape(cp.plan_label)}</a:t></a:r></a:p></c:rich></c:tx><c:dLblPos val="inEnd"/><c:showLegendKey val="0"/>'
        f'<c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/>'
        f'<c:showBubbleSize val="0"/></c:dLbl><c:showLegendKey val="0"/><c:showVal val="0"/><c:showCatName val="0"/>'
        f'<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>'))
    bar = parse_xml(f'<c:barChart {nsdecls("c")}><c:barDir val="col"/><c:grouping val="clustered"/><c:varyColors val="0"/></c:barChart>')
    bar.append(ser)
    bar.append(parse_xml(f'<c:gapWidth {nsdecls("c")} val="0"/>'))
    for ax in line.findall(qn("c:axId")):
        bar.append(copy.deepcopy(ax))
    line.addprevious(bar)  # first in the file: LibreOffice draws groups in file order (PowerPoint bars behind anyway)
    hide_from_legend(chart, [int(ser.find(qn("c:idx")).get("val"))])
    cross = chart._chartSpace.find(f".//{qn('c:valAx')}/{qn('c:crossBetween')}")
    if cross is not None:
        cross.set("val", "between")


def bar_target(slide, chart, cp: ChartPlan, frame, theme: Theme) -> None:
    """A bar chart's target: the plot area fixed inside the chart (manual inner layout) so the value axis has a known
    place, then a dashed accent line across the bars at the target's value, its name above the plot."""
    assert cp.axis is not None and cp.target is not None
    lo, hi, _ = cp.axis
    value, name = cp.target
    size = cp.category_size or CHART_TEXT
    left = min(0.45 * frame.w, 0.52 * size * max((len(c) for c in cp.categories), default=1) + 20)
    top = 30.0 + (26 if cp.title else 0)
    bottom = 26.0 + (24 if cp.axis_title else 0) + (30 if cp.legend else 0)
    right = 24.0
    x, y, w, h = left / frame.w, top / frame.h, 1 - (left + right) / frame.w, 1 - (top + bottom) / frame.h
    plot_area = chart._chartSpace.find(f".//{qn('c:plotArea')}")
    layout = plot_area.find(qn("c:layout"))
    if layout is None:
        layout = parse_xml(f'<c:layout {nsdecls("c")}/>')
        plot_area.insert(0, layout)
    manual = parse_xml(
        f'<c:manualLayout {nsdecls("c")}><c:layoutTarget val="inner"/><c:xMode val="edge"/><c:yMode val="edge"/>'
        f'<c:x val="{x:.4f}"/><c:y val="{y:.4f}"/><c:w val="{w:.4f}"/><c:h val="{h:.4f}"/></c:manualLayout>')
    for old in list(layout):
        layout.remove(old)
    layout.append(manual)
    px = frame.x + frame.w * x + frame.w * w * (value - lo) / ((hi - lo) or 1)
    py0, py1 = frame.y + frame.h * y - 4, frame.y + frame.h * (y + h)
    from pptx.enum.shapes import MSO_CONNECTOR

    line = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, emu(px), emu(py0), emu(px), emu(py1))
    line.name = "Target line"
    line.line.color.rgb = rgb(theme.accent)
    line.line.width = Pt(2.0)
    line.line.dash_style = MSO_LINE_DASH_STYLE.DASH
    label_w = min(0.6 * CHART_TEXT * len(name) + 12, frame.w * 0.6)
    lx = min(max(px - label_w / 2, frame.x), frame.x + frame.w - label_w)
    box = slide.shapes.add_textbox(emu(lx), emu(py0 - 1.3 * CHART_TEXT - 6), emu(label_w), emu(1.3 * CHART_TEXT + 4))
    box.name = "Target label"
    tf = box.text_frame
    tf.word_wrap = False
    set_insets(tf, 0)
    p = tf.paragraphs[0]
    from pptx.enum.text import PP_ALIGN

    p.alignment = PP_ALIGN.CENTER
    run = p.add_run()
    run.text = name
    run.font.size = Pt(CHART_TEXT)
    run.font.color.rgb = rgb(theme.accent)
    run.font.name = theme.deck_font_name


_SIDES = {"right": XL_LABEL_POSITION.RIGHT, "left": XL_LABEL_POSITION.LEFT, "above": XL_LABEL_POSITION.ABOVE,
          "below": XL_LABEL_POSITION.BELOW}


def scatter_points(chart, cp: ChartPlan, theme: Theme) -> None:
    """Markers without lines, each point named by its label on the side chartrules.place_labels chose; the target a
    dashed accent line across, named at its right end; the x axis fixed and titled."""
    plot = chart.plots[0]
    sers = list(plot.series)
    points = sers[0]
    colour = cp.series[0].colour
    points.format.line.fill.background()
    points.marker.style = XL_MARKER_STYLE.CIRCLE
    points.marker.size = 9
    points.marker.format.fill.solid()
    points.marker.format.fill.fore_color.rgb = rgb(colour)
    points.marker.format.line.color.rgb = rgb("FFFFFF")
    for i, (label, _, _) in enumerate(cp.points):
        dl = points.points[i].data_label
        dl.has_text_frame = True
        dl.text_frame.text = label
        dl.position = _SIDES[cp.label_positions[i]] if i < len(cp.label_positions) else XL_LABEL_POSITION.RIGHT
        run = dl.text_frame.paragraphs[0].runs[0]
        run.font.size = Pt(CHART_TEXT)
        run.font.color.rgb = rgb(theme.text)
    if len(sers) > 1:  # the target
        line = sers[1]
        line.format.line.color.rgb = rgb(theme.accent)
        line.format.line.width = Pt(2.0)
        line.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
        line.marker.style = XL_MARKER_STYLE.NONE
        label_last_point(line, PlotSeries(cp.target[1], (None, cp.target[0]), theme.accent, "target"), theme)
    if cp.x_axis is not None:
        xa = chart.category_axis
        xa.minimum_scale, xa.maximum_scale, xa.major_unit = cp.x_axis
        xa.tick_labels.number_format = cp.x_format
        xa.tick_labels.number_format_is_linked = False
        xa.tick_label_position = XL_TICK_LABEL_POSITION.LOW
        if cp.x_unit:
            xa.has_title = True
            tf = xa.axis_title.text_frame
            tf.text = cp.x_unit
            font = tf.paragraphs[0].runs[0].font
            font.size, font.bold = Pt(CHART_TEXT), False
            font.color.rgb = rgb(theme.muted)


# ---------------------------------------------------------------- issue 21: labels clear of the bar ends

LABEL_GAP = 4.0  # pt between a bar's end and its value label (the brief pads its labels 2–3 pt at a smaller size)


def label_gaps(chart, cp: ChartPlan, frame) -> None:
    """Move every value label at a bar's or column's outer end (and a stacked bar's total) LABEL_GAP pt away from it:
    a per-label manual offset, which PowerPoint and LibreOffice both honour (LibreOffice ignores label text insets).
    The label stays a data label: it follows its bar when the data are edited."""
    if cp.kind not in ("column", "bar") or not cp.data_labels or frame.w <= 0 or frame.h <= 0:
        return
    horizontal = cp.kind == "bar"
    gap = LABEL_GAP / float(frame.w if horizontal else frame.h)
    sers = [(ps.values, ser) for ps, ser in zip(cp.series, chart.plots[0].series) if ps.role == "data" and not cp.stacked]
    if cp.stacked and has_totals(cp) and horizontal:  # totals_after_bars: the last series, labelled at its base
        rows = [ps.values for ps in cp.series if ps.role == "data"]
        sers = [([sum(v or 0.0 for v in col) for col in zip(*rows)], list(chart.plots[0].series)[-1])]
    for values, ser in sers:
        offset_labels(ser._element, values, gap, horizontal)


def offset_labels(ser, values, gap: float, horizontal: bool) -> None:
    """Give each labelled point of `ser` its own data label shifted `gap` (a fraction of the chart's width or height)
    outwards: right of a positive bar, left of a negative one; above a positive column, below a negative one."""
    dLbls = ser.find(qn("c:dLbls"))
    if dLbls is None:
        return
    taken = {d.find(qn("c:idx")).get("val") for d in dLbls.findall(qn("c:dLbl"))}  # hidden ones stay hidden
    shared = [el for el in dLbls if el.tag != qn("c:dLbl") and el.tag not in (qn("c:showLeaderLines"), qn("c:leaderLines"), qn("c:extLst"))]
    leader = dLbls.find(qn("c:showLeaderLines"))
    if leader is not None:  # an offset label is no leader-line callout
        leader.set("val", "0")
    labels = dLbls.findall(qn("c:dLbl"))
    for j, v in enumerate(values):
        if v is None or str(j) in taken:
            continue
        out = gap if v >= 0 else -gap
        x, y = (out, 0.0) if horizontal else (0.0, -out)
        label = parse_xml(
            f'<c:dLbl {nsdecls("c")}><c:idx val="{j}"/><c:layout><c:manualLayout><c:x val="{x:.5f}"/><c:y val="{y:.5f}"/>'
            f'</c:manualLayout></c:layout></c:dLbl>')
        for el in shared:  # the series' format, position and switches, so the label reads as its neighbours
            label.append(copy.deepcopy(el))
        labels.append(label)
    for label in sorted(labels, key=lambda d: int(d.find(qn("c:idx")).get("val")), reverse=True):
        dLbls.insert(0, label)  # (moved or added) first in the element, in point order


def line_legend(chart, cp: ChartPlan) -> None:
    """A line chart's legend names its data series only, as the brief's does: the planned parts, the plan band and
    the target are labelled on the chart. Series are first numbered in file order (the band, drawn first, is 0), so
    an entry's index is its series' index and its place in the legend alike — PowerPoint reads the one, LibreOffice
    the other."""
    space = chart._chartSpace
    plot_area = space.find(f".//{qn('c:plotArea')}")
    sers = [ser for group in plot_area for ser in group.findall(qn("c:ser"))]
    for i, ser in enumerate(sers):
        ser.find(qn("c:idx")).set("val", str(i))
        ser.find(qn("c:order")).set("val", str(i))
    legend = space.find(f".//{qn('c:legend')}")
    if legend is None:
        return
    for old in legend.findall(qn("c:legendEntry")):
        legend.remove(old)
    data = {ps.name for ps in cp.series if ps.role == "data"}
    hide_from_legend(chart, [i for i, ser in enumerate(sers) if ser.findtext(f"{qn('c:tx')}//{qn('c:v')}") not in data])
