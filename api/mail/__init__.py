"""Email: each notification written out in its person's language (the pages' catalogues),
as plain text and HTML, and delivered by the worker through SMTP or as files."""
