"""The briefing pack: one or two pages on a stakeholder before a meeting.

:mod:`engagement.brief.build` gathers the facts into a :class:`~engagement.brief.model.Brief`
(who they are, our counterparts, our recent history, topics, open follow-ups, upcoming events,
related stakeholders), always under a confidentiality cap stated at the top. Extra sections are
one function each, registered in :mod:`engagement.brief.sections`. The renderers turn the model
into Markdown or HTML (Jinja2 templates) and PDF (WeasyPrint, optional).
"""
