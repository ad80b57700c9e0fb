"""``python -m coreplan_analysis`` runs the ``coreplan`` command line."""

from coreplan_analysis.cli import main

raise SystemExit(main())
