from .assessments import QuizResponse, QuizStatus, ReviewOutcome, SeratAssessment
from .concerns import ConcernSource, NoteOfConcern
from .people import TutorGroup, YoungPerson
from .plans import Consent, ConsentMethod, Plan, PlanItemRecord, PlanStatus
from .reviews import Review
from .sessions import TeachingSession

__all__ = [
    "ConcernSource",
    "Consent",
    "ConsentMethod",
    "NoteOfConcern",
    "Plan",
    "PlanItemRecord",
    "PlanStatus",
    "QuizResponse",
    "QuizStatus",
    "Review",
    "ReviewOutcome",
    "SeratAssessment",
    "TeachingSession",
    "TutorGroup",
    "YoungPerson",
]
