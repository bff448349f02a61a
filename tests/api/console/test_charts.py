"""Server-drawn charts: figures in, SVG out, every text escaped, nothing that a strict CSP would block."""

from services.api.console import charts


def test_bar_is_proportional_and_labelled() -> None:
    svg = str(charts.bar(0.25, label="Focus <areas>"))
    assert 'width="32.0"' in svg and 'aria-label="Focus &lt;areas&gt;"' in svg
    assert 'width="128.0"' in str(charts.bar(7.0, label="x")) and 'width="0.0"' in str(charts.bar(-1, label="x"))


def test_targets_chart_shows_result_against_target() -> None:
    svg = str(
        charts.targets(
            [charts.TargetRow("Jobs <b>", 400.0, 100.0), charts.TargetRow("People", None, 50.0)],
            title="Results & targets",
            of_target="of target",
        )
    )
    assert "Jobs &lt;b&gt;" in svg and "Results &amp; targets" in svg
    assert "100 / 400 (25 % of target)" in svg and ">50<" in svg
    assert "style=" not in svg and "<script" not in svg


def test_funnel_and_trends() -> None:
    funnel = str(charts.funnel([("Proposed", 10), ("Approved", 5), ("Introduced", 0)], title="Funnel"))
    assert funnel.count("<rect") == 3 and 'width="420.0"' in funnel and 'width="210.0"' in funnel
    trends = str(charts.trends(["2024-Q1", "2024-Q2"], [("GT", [1.0, 3.0]), ("HN", [0.0, 0.0])], title="Jobs"))
    assert trends.count("<polyline") == 2 and "2024-Q1" in trends and "GT" in trends
    assert str(charts.trends([], [], title="Empty")).startswith("<svg")
