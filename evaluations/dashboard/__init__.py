"""Compliance dashboards (DOMAIN.md §8): who may see which node, the periods, the
figures, flags and "how is this counted" notes, read from a per-cell-per-month
rollup that services keep current.

- periods.py     month and period arithmetic (pure)
- figures.py     figures, flags and their arithmetic (pure)
- queries.py     access to a node and the ORM reads behind a dashboard
- presenters.py  figures turned into what pages and exports show
- rollup.py      CellMonth / CellPeriod recompute, schedule_refresh, sweep
- tasks.py       the Celery tasks (listed in CELERY_IMPORTS)
- views.py, exports.py  the pages and their .xlsx / PDF exports (not re-exported)
"""

from .figures import (
    ATTENDANCE_THRESHOLD,
    FIGURE_BY_KEY,
    FIGURES,
    FLAG_BY_KEY,
    FLAGS,
    MIN_OFFICIAL_MEMBERS,
    PERIOD_SUMS,
    SORT_KEYS,
    SUM_FIELDS,
    Dashboard,
    Figure,
    Flag,
    Stats,
    cell_stats,
    flagged_cells,
    heat_level,
    period_figures,
    ratio,
    sort_rows,
)
from .periods import (
    Period,
    add_months,
    closed_month_count,
    current_month,
    month_start,
    months_to_refresh,
    year_months,
)
from .presenters import TABLE_COLUMNS, headlines, of, pct, raised_flags, table_values
from .queries import (
    build,
    can_view_dashboard,
    dashboard_ancestors,
    default_node_for,
    get_dashboard_node,
    per_cell,
)
from .rollup import (
    rebuild,
    recompute,
    refresh_cell_month,
    refresh_recent,
    schedule_refresh,
    sweep_dirty,
)

__all__ = [
    "ATTENDANCE_THRESHOLD",
    "FIGURES",
    "FIGURE_BY_KEY",
    "FLAGS",
    "FLAG_BY_KEY",
    "MIN_OFFICIAL_MEMBERS",
    "PERIOD_SUMS",
    "SORT_KEYS",
    "SUM_FIELDS",
    "TABLE_COLUMNS",
    "Dashboard",
    "Figure",
    "Flag",
    "Period",
    "Stats",
    "add_months",
    "build",
    "can_view_dashboard",
    "cell_stats",
    "closed_month_count",
    "current_month",
    "dashboard_ancestors",
    "default_node_for",
    "flagged_cells",
    "get_dashboard_node",
    "headlines",
    "heat_level",
    "month_start",
    "months_to_refresh",
    "of",
    "pct",
    "per_cell",
    "period_figures",
    "raised_flags",
    "ratio",
    "rebuild",
    "recompute",
    "refresh_cell_month",
    "refresh_recent",
    "schedule_refresh",
    "sort_rows",
    "sweep_dirty",
    "table_values",
    "year_months",
]
