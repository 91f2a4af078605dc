from xml.etree import ElementTree

from planning.charts import bar_chart, line_chart


def test_a_bar_chart_is_valid_svg_with_escaped_labels_and_values():
    svg = bar_chart(
        [("Xóm <Ngọc Lâm>", 72.5), ("Xóm Yên Mỹ", 1250000)],
        title="Tỷ lệ & số",
        unit=" %",
        marker=70,
        marker_label="Mục tiêu 70 %",
    )
    root = ElementTree.fromstring(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")] or [
        t.text for t in root.iter("text")
    ]
    assert "Xóm <Ngọc Lâm>" in texts and "72,5 %" in texts and "1.250.000 %" in texts
    assert "Mục tiêu 70 %" in texts
    assert root.get("viewBox").startswith("0 0 360 ")


def test_a_line_chart_draws_one_polyline_per_series_and_survives_zeros():
    svg = line_chart(
        [("Buổi", [0, 0, 0]), ("Người dự", [0, 0, 0])], labels=["T1", "T2", "T3"], title="x"
    )
    root = ElementTree.fromstring(svg)
    assert len(root.findall("polyline")) == 2
    assert len(root.findall("circle")) == 6


def test_an_empty_chart_is_still_valid():
    ElementTree.fromstring(bar_chart([], title="trống"))
    ElementTree.fromstring(line_chart([], labels=[], title="trống"))
