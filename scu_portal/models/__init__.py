from .referrals import (
    ConsentState,
    MaseMeeting,
    MaseOutcome,
    MaterialUse,
    Referral,
    ReferralKind,
    ReferralStatus,
    ScuAnswer,
    ScuAnswerKind,
)
from .training import TrainingRecord

__all__ = [
    "ConsentState",
    "MaseMeeting",
    "MaseOutcome",
    "MaterialUse",
    "Referral",
    "ReferralKind",
    "ReferralStatus",
    "ScuAnswer",
    "ScuAnswerKind",
    "TrainingRecord",
]
