"""The tables, as SQLAlchemy typed models.

Columns that exist only to keep reads fast at scale are maintained by the service layer in the
same transaction as the change that affects them:

* ``*_key`` columns hold folded names (:mod:`engagement.names`) so lookups use an index;
* ``Interaction.start_on``/``last_on`` hold the calendar days covered, whatever the precision,
  so range filters and ordering need no date arithmetic in SQL;
* ``InteractionStakeholder.start_on`` copies the interaction's start so that a stakeholder's
  history, newest first, is one index range scan; its ``last_on``, ``status``, ``kind`` and
  ``confidentiality`` copy the interaction's too, so that counting a period is one covering
  index range (these four, and ``start_on`` as well, are kept by database triggers:
  :mod:`engagement.link_copies`);
* ``Stakeholder.first_contact_on``/``last_contact_on``/``interaction_count``/``ongoing`` answer
  "dormant" and list views without aggregating the whole log (``ongoing``: a held recurring
  interaction, such as a daily channel, keeps the relationship active).

One module per subject (:mod:`.stakeholders`, :mod:`.interactions`, :mod:`.commitments`,
:mod:`.records`, column types in :mod:`.columns`); importing this package imports them all, in
the order the tables were first declared, so ``Base.metadata`` is complete and keeps that order.
"""

# isort: skip_file
# The order of these imports is the order of the tables in the metadata.
from engagement.models.columns import NAMING_CONVENTION, AwareUTCDateTime, Base, UTCDateTime, utcnow
from engagement.models.stakeholders import (
    Affiliation,
    PostTenure,
    Stakeholder,
    StakeholderAlias,
    StakeholderKey,
    StakeholderTag,
    StakeholderToken,
)
from engagement.models.interactions import (
    FollowUp,
    Interaction,
    InteractionDocument,
    InteractionLanguage,
    InteractionStaff,
    InteractionStakeholder,
    InteractionTag,
    PendingDocument,
)
from engagement.models.commitments import Commitment, CommitmentStakeholder
from engagement.models.records import AuditEntry, Clearance, StakeholderMerge

__all__ = [
    "NAMING_CONVENTION",
    "Affiliation",
    "AuditEntry",
    "AwareUTCDateTime",
    "Base",
    "Clearance",
    "Commitment",
    "CommitmentStakeholder",
    "FollowUp",
    "Interaction",
    "InteractionDocument",
    "InteractionLanguage",
    "InteractionStaff",
    "InteractionStakeholder",
    "InteractionTag",
    "PendingDocument",
    "PostTenure",
    "Stakeholder",
    "StakeholderAlias",
    "StakeholderKey",
    "StakeholderMerge",
    "StakeholderTag",
    "StakeholderToken",
    "UTCDateTime",
    "utcnow",
]
