"""Moving data in and out whole: backups and restores, the logical JSON dump, CSV exports and
imports. Everything here writes files atomically and privately (:mod:`.files`) and reads them
through the schemas, so a bad file is refused before anything is written."""
