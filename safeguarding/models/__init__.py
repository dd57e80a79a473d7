from .people import TutorGroup, YoungPerson

__all__ = ["TutorGroup", "YoungPerson"]
