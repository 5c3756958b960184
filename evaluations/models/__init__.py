"""The evaluations app's models, one module per concept: tasks assigned in meetings,
ratings, meeting-quality rubrics and scores, supervisors' reports and
recommendations (DOMAIN.md §4-7), and the dashboards' rollup (§8)."""

from .inspections import Inspection
from .lessons import LessonPromise, LessonSession, PeerFeedback, SessionKind
from .ratings import AnnualRating, MonthlyRating, RatingLevel
from .reports import Recommendation, RecommendationStatus, SupervisionReport
from .rollup import FIGURE_FIELDS, CellMonth, CellPeriod, RollupDirty
from .scores import QualityBand, QualityScore, Rubric, RubricChoice, ScoreRole
from .tasks import Task, TaskOutcome

__all__ = [
    "FIGURE_FIELDS",
    "AnnualRating",
    "CellMonth",
    "CellPeriod",
    "Inspection",
    "LessonPromise",
    "LessonSession",
    "MonthlyRating",
    "PeerFeedback",
    "QualityBand",
    "QualityScore",
    "RatingLevel",
    "Recommendation",
    "RecommendationStatus",
    "RollupDirty",
    "Rubric",
    "RubricChoice",
    "ScoreRole",
    "SessionKind",
    "SupervisionReport",
    "Task",
    "TaskOutcome",
]
