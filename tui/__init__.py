"""The Textual terminal UI of engagement. It talks to the library only through
:class:`engagement.Tracker`."""
