"""The command line's progress bars (verify.cli.progress), built alone."""

from __future__ import annotations

import pytest

from verify.cli.progress import progress_bars


@pytest.mark.parametrize("color", [True, False])
def test_the_bars_go_to_stderr_and_honour_no_color(
    color: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # as on a colour terminal, so that only the option decides
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)
    bars = progress_bars("{task.fields[label]:<10}", color=color)
    assert bars.console.stderr and bars.live.transient
    # --no-color: no colour system at all, so the bar writes no colour code
    assert (bars.console.color_system is None) is (not color)


def test_each_row_reads_label_bar_count_description() -> None:
    bars = progress_bars("fetching", color=False)
    task = bars.add_task("a.example", total=4)
    bars.update(task, advance=3)
    with bars.console.capture() as captured:
        bars.console.print(bars.make_tasks_table(bars.tasks))
    line = captured.get()
    assert "fetching" in line and "3/4" in line and "a.example" in line
    assert line.index("fetching") < line.index("3/4") < line.index("a.example")
