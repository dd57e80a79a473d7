from .governance import FrameworkVersion, GovernorAcknowledgement
from .referrals import (
    ConsentState,
    MaseMeeting,
    MaseOutcome,
    MaterialUse,
    Referral,
    ReferralKind,
    ReferralStatus,
    ReferralStatusChange,
    ReferralTarget,
    ScuAnswer,
    ScuAnswerKind,
)
from .training import TrainingRecord

__all__ = [
    "ConsentState",
    "FrameworkVersion",
    "GovernorAcknowledgement",
    "MaseMeeting",
    "MaseOutcome",
    "MaterialUse",
    "Referral",
    "ReferralKind",
    "ReferralStatus",
    "ReferralStatusChange",
    "ReferralTarget",
    "ScuAnswer",
    "ScuAnswerKind",
    "TrainingRecord",
]
